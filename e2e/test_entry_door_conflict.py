# SPDX-License-Identifier: AGPL-3.0-or-later
"""Two administrators of Göteborgs Stad edit the same entry door at once: the
second save does not overwrite the first, and the second person, whose browser
is in Swedish, keeps what they typed, shown beside what was saved."""

import re

import pytest
from playwright.sync_api import expect

from e2e.steps import PASSWORD, log_in
from samverka.accounts.models import Membership
from samverka.directory.models import EntryDoor
from samverka.directory.services import add_entry_door

pytestmark = pytest.mark.e2e

CONFLICT = "Någon annan sparade den här kontaktvägen medan du redigerade den."


def test_the_second_save_of_an_entry_door_shows_the_conflict_and_keeps_both_texts(
    live_server, cast, new_context, check
):
    Membership.objects.filter(user=cast.coordinator).update(role="admin")
    door = add_entry_door(
        organisation=cast.municipality,
        data={
            "topic": "Föreningsbidrag",
            "who": "Föreningsenheten",
            "email": "foreningar@goteborg.example",
        },
        by=cast.org_admin,
    )
    edit_url = f"/organisations/{cast.municipality.pk}/entry-doors/{door.pk}/"
    erik = new_context().new_page()
    anna = new_context(locale="sv-SE").new_page()
    log_in(erik, cast.org_admin.email)
    anna.goto("/accounts/login/")
    anna.get_by_label("E-postadress").fill(cast.coordinator.email)
    anna.get_by_label("Lösenord").fill(PASSWORD)
    anna.get_by_role("button", name="Logga in").click()
    expect(anna.get_by_role("button", name="Logga ut")).to_be_visible()
    # Both open the form before either saves.
    erik.goto(edit_url)
    anna.goto(edit_url)
    expect(anna.get_by_role("heading", level=1)).to_have_text("Redigera ”Föreningsbidrag”")

    erik.get_by_label(re.compile(r"^When")).fill("Vardagar 9–16")
    erik.get_by_role("button", name="Save").click()
    expect(erik.get_by_role("status")).to_contain_text("The entry door was saved.")

    anna.get_by_label(re.compile(r"^Vem som svarar")).fill("Anna på föreningsenheten")
    anna.get_by_label(re.compile(r"^När")).fill("Tisdagar 10–12")
    anna.get_by_role("button", name="Spara").click()

    expect(anna.get_by_role("heading", name=CONFLICT)).to_be_visible()
    # Erik's save stands; nothing of Anna's was written.
    door.refresh_from_db()
    assert (door.who, door.opening_hours) == ("Föreningsenheten", "Vardagar 9–16")
    # Anna's text is still in the form, and each field that differs is shown both ways.
    form = anna.locator("form", has=anna.get_by_role("button", name="Spara"))
    expect(form.get_by_label(re.compile(r"^Vem som svarar"))).to_have_value(
        "Anna på föreningsenheten"
    )
    expect(form.get_by_label(re.compile(r"^När"))).to_have_value("Tisdagar 10–12")
    for field, saved, yours in [
        ("Vem som svarar", "Föreningsenheten", "Anna på föreningsenheten"),
        ("När", "Vardagar 9–16", "Tisdagar 10–12"),
    ]:
        expect(anna.get_by_role("region", name=field)).to_match_aria_snapshot(
            f"""
            - heading "{field}" [level=3]
            - heading "Sparad" [level=4]
            - paragraph: {saved}
            - heading "Din ändring (inte sparad)" [level=4]
            - paragraph: {yours}
            """
        )
    expect(anna.get_by_role("region", name="E-post")).to_have_count(0)
    check(anna, "entry-door-conflict")

    # Having compared, Anna saves again: now knowingly over Erik's.
    anna.get_by_role("button", name="Spara").click()
    expect(anna.get_by_role("status")).to_contain_text("Kontaktvägen sparades.")
    door = EntryDoor.objects.get(pk=door.pk)
    assert (door.who, door.opening_hours) == ("Anna på föreningsenheten", "Tisdagar 10–12")
