# SPDX-License-Identifier: AGPL-3.0-or-later
from datetime import datetime
from typing import Any

from ninja import Field, Schema

from samverka.accounts.models import Role
from samverka.directory.models import Country, Sector


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
    municipality: str
    version: int
    updated_at: datetime


class OrganisationPage(Schema):
    items: list[OrganisationOut]
    next: str | None = Field(None, description="Cursor for the next page, or null on the last.")


class OrganisationPatch(Schema):
    """Only the fields sent are changed. `version` is the one you read: if
    someone saved since, the answer is 409 and nothing is changed."""

    version: int
    name: str | None = Field(None, min_length=1, max_length=200)
    organisation_number: str | None = Field(None, max_length=20)
    sector: Sector | None = None
    description: str | None = Field(None, max_length=20000)
    description_language: str | None = Field(None, pattern="^(sv|nb|da|en)$")
    website: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    municipality: str | None = Field(None, max_length=100)


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


class EntryDoorIn(Schema):
    topic: str = Field(..., min_length=1, max_length=200)
    who: str = Field(..., min_length=1, max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    form_url: str = Field("", max_length=200)
    opening_hours: str = Field("", max_length=200)
