# SPDX-License-Identifier: AGPL-3.0-or-later
"""Key pages and API list endpoints: the number of SQL queries must not grow
with the data, and stays at 10 or fewer. Later issues add their pages here."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverka.accounts.models import Membership, User
from samverka.core.models import LogEntry
from samverka.directory.models import Capability, ChangeSuggestion, EntryDoor, Organisation, Place
from samverka.partnerships.checklist import load_checklist
from samverka.partnerships.models import Partnership
from samverka.partnerships.services import (
    complete_step,
    create_partnership,
    invite_organisation,
    respond,
)

BUDGET = 10
# Pages that show several parts of a partnership at once: checklist progress, who
# has not confirmed the problem and what blocks each status move. Still constant.
# The partnership page and API read the resident groups reached (+1, issue 20).
BUDGETS = {"partnership page": 14, "partnership consensus": 11, "API partnership": 13}


def grow(cast, n: int) -> None:
    """n more organisations, members of the municipality and of its partnership,
    partnerships, checklist steps done, and history entries."""
    start = Organisation.objects.count()
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Förening {i:05d}", country="SE", sector="civil_society")
        for i in range(start, start + n)
    )
    Capability.objects.bulk_create(
        Capability(organisation=o, kind="volunteers", detail="Läxhjälp") for o in organisations
    )
    country = Place.objects.get_or_create(
        path="SE/", defaults={"kind": "country", "name": "Sverige", "country": "SE", "code": "SE"}
    )[0]
    places = Place.objects.bulk_create(
        Place(
            kind="municipality",
            name=f"Kommun {i}",
            country="SE",
            code=f"k{i}",
            parent=country,
            path=f"SE/k{i}/",
        )
        for i in range(start, start + n)
    )
    cast.municipality.places.add(*places)
    partnership = getattr(cast, "partnership", None)
    if partnership is not None:
        for i, o in enumerate(organisations):
            member = invite_organisation(
                partnership=partnership, organisation=o, role="partner", by=cast.org_admin
            )
            if i % 2:
                respond(member=member, accept=True, by=cast.org_admin)
        done = set(partnership.completions.values_list("number", flat=True))
        for number in [n for n in range(1, 17) if n not in done][: max(1, n // 10)]:
            complete_step(partnership=partnership, number=number, by=cast.org_admin, note="x")
        Partnership.objects.bulk_create(
            Partnership(name=f"Samverkan {i}", visibility="logged_in")
            for i in range(start, start + n)
        )
    agreement = getattr(cast, "agreement", None)
    if agreement is not None:
        grow_agreement(cast, agreement, n)
    for o in organisations:
        o.places.add(places[0])
    ChangeSuggestion.objects.bulk_create(
        ChangeSuggestion(
            organisation=cast.municipality,
            proposed_by=cast.member,
            changes={"description": f"Förslag {i}"},
            based_on={"description": "Kommunen."},
        )
        for i in range(n)
    )
    users = User.objects.bulk_create(
        User(email=f"person{i}@example.org", first_name="P", last_name=str(i))
        for i in range(start, start + n)
    )
    Membership.objects.bulk_create(
        Membership(user=user, organisation=cast.municipality, role="member") for user in users
    )
    EntryDoor.objects.bulk_create(
        EntryDoor(organisation=cast.municipality, topic=f"Ärende {i}", who="Enheten", phone="1")
        for i in range(n)
    )
    content_type = ContentType.objects.get_for_model(Organisation)
    LogEntry.objects.bulk_create(
        LogEntry(
            actor=cast.org_admin,
            actor_label="Erik",
            action="organisation.updated",
            content_type=content_type,
            object_id=str(cast.municipality.pk),
            object_repr="Göteborgs Stad",
            data={"changes": {"description": ["a", str(i)]}},
        )
        for i in range(n)
    )


def grow_agreement(cast, agreement, n: int) -> None:
    """Two more versions: the new members become parties, then each party
    contributes money and hours for two years."""
    from samverka.agreements.models import Agreement
    from samverka.agreements.services import create_agreement, save_agreement

    for _ in range(max(1, n // 5)):  # more agreements in the partnership's list
        create_agreement(
            partnership=agreement.partnership, template=agreement.template, by=cast.org_admin
        )

    version = Agreement.objects.get(pk=agreement.pk).version
    text = {"activities": f"Version {version}"}
    save_agreement(
        agreement=agreement, changes={"sections": text}, by=cast.org_admin, base_version=version
    )
    parties = agreement.versions.get(number=version + 1).content["parties"]
    rows = [
        {
            "party": p["organisation"],
            "year": year,
            "kind": kind,
            "amount": "100",
            "currency": currency,
            "description": "",
        }
        for p in parties
        for year in (2027, 2028)
        for kind, currency in (("money", "SEK"), ("staff_hours", ""))
    ]
    save_agreement(
        agreement=agreement,
        changes={"contributions": rows},
        by=cast.org_admin,
        base_version=version + 1,
    )


PAGES = {
    "front page": ("anonymous", lambda c: "/"),
    "front page, logged in": ("org_admin", lambda c: "/"),
    "organisation list": ("anonymous", lambda c: "/organisations/"),
    "find partners": ("anonymous", lambda c: "/organisations/find-partners/?sectors=civil_society"),
    "API find partners": ("anonymous", lambda c: "/api/find-partners?sectors=civil_society"),
    "organisation page": ("org_admin", lambda c: f"/organisations/{c.municipality.pk}/"),
    "members page": ("org_admin", lambda c: f"/organisations/{c.municipality.pk}/members/"),
    "history page": ("member", lambda c: f"/organisations/{c.municipality.pk}/history/"),
    "API organisations": ("anonymous", lambda c: "/api/organisations"),
    "search": ("anonymous", lambda c: "/organisations/search/?q=kommunen&country=SE"),
    "search, misspelled name": ("anonymous", lambda c: "/organisations/search/?q=Göteborgs+Stadd"),
    "search, nothing found": (
        "anonymous",
        lambda c: "/organisations/search/?q=zzqxw&sector=business&theme=jobs",
    ),
    "API search": ("anonymous", lambda c: "/api/search?q=kommunen"),
    "API members": ("member", lambda c: f"/api/organisations/{c.municipality.pk}/members"),
    "API history": ("member", lambda c: f"/api/organisations/{c.municipality.pk}/history"),
    "API me": ("org_admin", lambda c: "/api/me"),
    "API entry doors": (
        "anonymous",
        lambda c: f"/api/organisations/{c.municipality.pk}/entry-doors",
    ),
    "entry doors page": ("org_admin", lambda c: f"/organisations/{c.municipality.pk}/entry-doors/"),
    "edit page": ("org_admin", lambda c: f"/organisations/{c.municipality.pk}/edit/"),
    "places page": ("org_admin", lambda c: f"/organisations/{c.municipality.pk}/places/"),
    "partnership list": ("member", lambda c: "/partnerships/"),
    "partnership page": ("member", lambda c: f"/partnerships/{c.partnership.pk}/"),
    "partnership members": ("org_admin", lambda c: f"/partnerships/{c.partnership.pk}/members/"),
    "partnership checklist": (
        "org_admin",
        lambda c: f"/partnerships/{c.partnership.pk}/checklist/",
    ),
    "partnership consensus": (
        "coordinator",
        lambda c: f"/partnerships/{c.partnership.pk}/consensus/",
    ),
    "partnership timeline": ("member", lambda c: f"/partnerships/{c.partnership.pk}/timeline/"),
    "API partnership timeline": (
        "member",
        lambda c: f"/api/partnerships/{c.partnership.pk}/timeline",
    ),
    "API partnership": ("member", lambda c: f"/api/partnerships/{c.partnership.pk}"),
    "API partnerships": ("member", lambda c: "/api/partnerships"),
    "agreements of a partnership": (
        "member",
        lambda c: f"/agreements/for/{c.partnership.pk}/",
    ),
    "agreement page": ("member", lambda c: f"/agreements/{c.agreement.pk}/"),
    "agreement edit": ("coordinator", lambda c: f"/agreements/{c.agreement.pk}/edit/"),
    "agreement contributions": (
        "coordinator",
        lambda c: f"/agreements/{c.agreement.pk}/contributions/",
    ),
    "agreement versions": ("member", lambda c: f"/agreements/{c.agreement.pk}/versions/?a=1&b=2"),
    "suggestions page": (
        "org_admin",
        lambda c: f"/organisations/{c.municipality.pk}/suggestions/",
    ),
}


def count_queries(client, cast, role: str, url: str) -> int:
    client.logout()
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    client.get(url)  # warm caches that are per process, not per request (content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_queries_do_not_grow_with_the_data(client, cast, page):
    load_checklist()
    cast.partnership = create_partnership(
        by=cast.org_admin, lead=cast.municipality, name="Trygghet", problem_statement="Otrygghet."
    )
    from samverka.agreements.models import AgreementTemplate
    from samverka.agreements.services import create_agreement

    cast.agreement = create_agreement(
        partnership=cast.partnership,
        template=AgreementTemplate.objects.get(code="iop"),
        by=cast.org_admin,
    )
    role, url_for = PAGES[page]
    url = url_for(cast)
    grow(cast, 5)
    small = count_queries(client, cast, role, url)
    grow(cast, 45)  # ten times as much
    large = count_queries(client, cast, role, url)
    assert large == small, f"{page}: {small} queries with little data, {large} with 10x"
    budget = BUDGETS.get(page, BUDGET)
    assert large <= budget, f"{page}: {large} queries (budget {budget})"
