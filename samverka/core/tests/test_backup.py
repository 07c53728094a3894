# SPDX-License-Identifier: AGPL-3.0-or-later
"""Back up, wipe, restore: every record comes back (SQLite and PostgreSQL)."""

import pytest
from django.apps import apps
from django.core.management import call_command

from samverka.accounts.services import create_api_token, invite_member
from samverka.directory.services import update_organisation


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every model, as plain values, in primary-key order."""
    return {
        model._meta.label: [
            tuple(str(value) for value in row)
            for row in model._default_manager.order_by("pk").values_list()
        ]
        for model in apps.get_models()
    }


@pytest.mark.django_db(transaction=True)
def test_it_restores_every_record_after_a_wipe(cast, tmp_path):
    update_organisation(
        organisation=cast.municipality,
        data={"description": "Före säkerhetskopian."},
        by=cast.org_admin,
        version=cast.municipality.version,
    )
    invite_member(organisation=cast.ngo, email="ny@example.dk", role="member", by=cast.other_member)
    create_api_token(user=cast.member, name="script")
    before = snapshot()
    assert sum(len(rows) for rows in before.values()) > 20

    call_command("backup", tmp_path / "samverka.backup")
    call_command("flush", interactive=False)
    assert snapshot() != before, "the wipe did not remove anything"

    call_command("restore", tmp_path / "samverka.backup")
    assert snapshot() == before


def test_it_refuses_a_missing_backup_file(db, tmp_path):
    with pytest.raises(FileNotFoundError):
        call_command("restore", tmp_path / "nothing-here.backup")
