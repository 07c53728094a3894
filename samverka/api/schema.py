# SPDX-License-Identifier: AGPL-3.0-or-later
from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema

from samverka.accounts.models import Role
from samverka.core.text import LONG_TEXT_MAX_LENGTH, api_text
from samverka.directory.models import CapabilityKind, Country, Sector, Theme


class ErrorOut(Schema):
    detail: Any


class MembershipOut(Schema):
    organisation_id: int
    organisation_name: str
    role: Role


class MeOut(Schema):
    id: int
    email: str
    name: str
    language: str
    memberships: list[MembershipOut]


class OrganisationOut(Schema):
    id: int
    name: str
    country: Country
    organisation_number: str
    sector: Sector
    description: str
    description_language: str
    website: str
    email: str
    phone: str
    themes: list[Theme]
    capabilities: dict[CapabilityKind, str] = Field(
        ..., description="What the organisation offers: {kind: detail}."
    )
    places: list[int] = Field(..., description="Ids of the places served.")
    commitment: str
    claimed: bool = Field(..., description="False until the organisation's own people claim it.")
    uuid: str = Field(..., description="Stable id across systems (re-imports, HSDS).")
    version: int
    updated_at: datetime


class OrganisationPage(Schema):
    items: list[OrganisationOut]
    next: str | None = Field(None, description="Cursor for the next page, or null on the last.")


class OrganisationPatch(Schema):
    """Only the fields sent are changed. `version` is the one you read: if
    someone saved since, the answer is 409 and nothing is changed."""

    version: int
    name: api_text(200) | None = Field(None, min_length=1)  # type: ignore[valid-type]
    organisation_number: api_text(20) | None = None  # type: ignore[valid-type]
    sector: Sector | None = None
    # The same limits and messages as the forms (core.text), whatever the field.
    description: api_text(LONG_TEXT_MAX_LENGTH, multiline=True) | None = None  # type: ignore[valid-type]
    description_language: str | None = Field(None, pattern="^(sv|nb|da|en)$")
    website: api_text(200) | None = None  # type: ignore[valid-type]
    email: api_text(254) | None = None  # type: ignore[valid-type]
    phone: api_text(40) | None = None  # type: ignore[valid-type]
    themes: list[Theme] | None = None
    capabilities: dict[CapabilityKind, str] | None = Field(
        None, description="Replaces the whole set: {kind: detail}."
    )
    places: list[int] | None = Field(None, description="Replaces the places served.")
    commitment: api_text(LONG_TEXT_MAX_LENGTH, multiline=True) | None = None  # type: ignore[valid-type]


class MemberOut(Schema):
    id: int
    user_id: int
    email: str
    name: str
    role: Role


class InvitationIn(Schema):
    email: str = Field(..., max_length=254)
    role: Role = Role.MEMBER


class InvitationOut(Schema):
    id: int
    email: str
    role: Role
    expires_at: datetime


class RoleIn(Schema):
    role: Role


class HistoryOut(Schema):
    created_at: datetime
    actor: str
    action: str
    data: dict[str, Any]


class EntryDoorOut(Schema):
    id: int
    topic: str
    who: str
    email: str
    phone: str
    form_url: str
    opening_hours: str
    version: int = Field(..., description="Send it back with a change (409 if stale).")


class EntryDoorIn(Schema):
    topic: api_text(200) = Field(..., min_length=1)  # type: ignore[valid-type]
    who: api_text(200) = Field(..., min_length=1)  # type: ignore[valid-type]
    email: api_text(254) = ""  # type: ignore[valid-type]
    phone: api_text(40) = ""  # type: ignore[valid-type]
    form_url: api_text(200) = ""  # type: ignore[valid-type]
    opening_hours: api_text(200) = ""  # type: ignore[valid-type]


class EntryDoorChange(EntryDoorIn):
    """The whole door. `version` is the one you read: if someone saved since,
    the answer is 409 and nothing is changed."""

    version: int


class SuggestionIn(Schema):
    changes: dict[str, Any] = Field(
        ...,
        description="Proposed values for name, description, website, email, phone, commitment.",
    )
    comment: api_text(2000, multiline=True) = ""  # type: ignore[valid-type]


class SuggestionOut(Schema):
    id: int
    changes: dict[str, Any]
    based_on: dict[str, Any]
    comment: str
    status: str
    created_at: datetime


class DecisionIn(Schema):
    accept: bool


class ClaimIn(Schema):
    message: api_text(2000, multiline=True) = Field(..., min_length=1)  # type: ignore[valid-type]


class ClaimOut(Schema):
    id: int
    status: str
    claimed: bool = Field(..., description="True when the claim was granted at once.")


class HsdsPage(Schema):
    """A page of HSDS 3.0 organizations, as in the HSDS API's /organizations."""

    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[dict[str, Any]] = Field(
        ..., description="HSDS 3.0 organizations, fully nested (with services)."
    )


class HsdsImportOut(Schema):
    created: list[str] = Field(..., description="Ids (uuid) of the organisations added.")
    updated: list[str]
    unchanged: list[str]
    notes: list[dict[str, str]] = Field(
        ..., description="What was not stored where it came from: {path, msg}."
    )


class SearchHitOut(Schema):
    id: int
    name: str
    country: Country
    sector: Sector
    places: list[int] = Field(..., description="Ids of the places served.")
    snippet: str = Field(..., description="Part of the description around the first match.")
    similar_name: bool = Field(
        ..., description="Found by a name like the query (misspelling), not by its words."
    )


class FacetOut(Schema):
    value: str
    count: int


class SearchFacetsOut(Schema):
    sector: list[FacetOut]
    theme: list[FacetOut]
    capability: list[FacetOut]
    country: list[FacetOut]


class SearchOut(Schema):
    items: list[SearchHitOut]
    count: int = Field(..., description="Hits, counted up to a cap (see capped).")
    capped: bool = Field(..., description="True if there are more hits than count.")
    page: int
    pages: int
    facets: SearchFacetsOut = Field(
        ..., description="Counts over the counted hits (at least, when capped)."
    )


class FindPartnersIn(Schema):
    text: str = Field("", max_length=2000, description="The problem, in sv, nb, da or en.")
    place: int | None = Field(None, ge=1, le=2**31 - 1, description="A place id.")
    country: Country | None = Field(None, description="Used when no place is given.")
    capabilities: list[CapabilityKind] = Field(default_factory=list)
    sectors: list[Sector] = Field(default_factory=list)
    present_sectors: list[Sector] = Field(
        default_factory=list, description="Sectors the partnership has already."
    )
    limit: int = Field(20, ge=1, le=100)


class MatchPartOut(Schema):
    key: str = Field(
        ..., description="place, capabilities, themes, sectors, adds_sector or new_voice."
    )
    weight: int = Field(..., description="The most points this part can give.")
    points: int
    reason: str = Field(..., description="Why, in the request's language.")


class MatchOut(Schema):
    organisation_id: int
    name: str
    country: Country
    sector: Sector
    score: int = Field(..., description="0-100: points as a share of what the request can give.")
    points: int
    parts: list[MatchPartOut]


class FindPartnersOut(Schema):
    place_id: int | None
    place: str = Field(..., description="The place searched, with its municipality.")
    text_themes: list[Theme] = Field(..., description="Themes read from the text.")
    max_points: int
    candidates: int = Field(..., description="Organisations scored.")
    capped: bool = Field(..., description="True if more organisations fit than were scored.")
    matches: list[MatchOut]


class ImportJobOut(Schema):
    id: int
    status: str = Field(..., description="queued, running, done or failed.")
    stage: str = Field(..., description="preview, commit, committed or rejected.")
    filename: str
    done: int
    total: int
    percent: int
    message: str
    can_commit: bool = Field(..., description="True when the preview found no errors.")
    result: dict[str, Any] = Field(
        ...,
        description="Counts (rows, created, updated, unchanged, error_count) and errors: "
        "[{row, column, message}], the row numbered as in the spreadsheet (header = 1).",
    )
    not_yet_searchable: int = Field(
        ...,
        description="After a commit: how many of the changed organisations the search "
        "index has still to take in (a background task; 0 when all are found by search).",
    )


class AdvisorIn(Schema):
    """The model advisor's questions (the same as on the page)."""

    country: Country
    sectors: list[Sector] = Field(default_factory=list, description="Sectors at the table.")
    purposes: list[Literal["safety", "inclusion", "jobs", "environment", "service"]] = Field(
        default_factory=list
    )
    scope: Literal["place", "municipality"] = "place"
    horizon: Literal["pilot", "fixed_term", "long_term"] = "long_term"
    buys_service: bool = Field(False, description="The public side wants to buy a defined service.")
    own_resources: bool = Field(
        False, description="The civil-society party brings its own resources and shares the goal."
    )
    tests_concepts: bool = Field(False, description="A time-limited test of concepts.")
    owners_central: bool = Field(False, description="Property owners are central to the place.")
    police_involved: bool = False


class AdvisorSourceOut(Schema):
    title: str
    url: str = Field(..., description="Empty when no stable public address is known.")
    lang: str


class AdvisorPointOut(Schema):
    text: str
    sources: list[AdvisorSourceOut]


class AdvisorRecommendationOut(Schema):
    form: str = Field(..., description="iop, est, bid, procurement, grant, pilot, …")
    score: int
    name: str
    summary: str
    reasons: list[AdvisorPointOut]
    cautions: list[AdvisorPointOut]


class AdvisorExcludedOut(Schema):
    form: str
    name: str
    reason: str


class AdvisorOut(Schema):
    language: str
    notice: str
    recommendations: list[AdvisorRecommendationOut] = Field(..., description="Best fit first.")
    not_available: list[AdvisorExcludedOut] = Field(..., description="Forms of other countries.")
