# SPDX-License-Identifier: AGPL-3.0-or-later
"""HSDS imports of hostile JSON: a 422 that says why, never a 500."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samverka.directory import hsds
from samverka.directory.models import Organisation


def nested(depth):
    return '{"id": "x", "name": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("depth", [100, 900, 100_000])
def test_the_api_refuses_json_nested_too_deep_with_a_422(client, cast, depth):
    client.force_login(cast.platform_admin)
    before = Organisation.objects.count()
    response = client.post(
        "/api/hsds/organizations", nested(depth), content_type="application/json"
    )
    assert response.status_code == 422, response.content[:200]
    assert response.json()["detail"] == [
        {
            "path": "$",
            "msg": "The JSON nests deeper than 64 levels; HSDS documents need far fewer.",
        }
    ]
    assert Organisation.objects.count() == before


def test_a_document_nested_as_deep_as_allowed_is_validated_as_usual():
    payload = hsds.load(nested(hsds.MAX_DEPTH - 1))
    assert hsds.validate(payload)  # problems, but listed: no error


def test_the_command_refuses_it_too(db, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text(nested(900))
    with pytest.raises(CommandError, match="nests deeper than 64"):
        call_command("hsds_import", str(path))


def test_a_huge_value_is_not_repeated_in_the_answer(client, cast):
    client.force_login(cast.platform_admin)
    document = {"id": "x" * 1_000_000, "name": "A"}
    response = client.post("/api/hsds/organizations", document, content_type="application/json")
    assert response.status_code == 422
    assert len(response.content) < 10_000
    assert any(p["path"] == "$.id" for p in response.json()["detail"])
    assert len(json.dumps(response.json())) < 10_000
