# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib import admin
from django.http import HttpRequest

from samverka.accounts.models import Membership
from samverka.core.admin import AuditedAdmin
from samverka.directory.models import (
    Capability,
    ChangeSuggestion,
    ClaimRequest,
    EntryDoor,
    Organisation,
    Place,
)


class EntryDoorInline(admin.StackedInline):
    model = EntryDoor
    extra = 0


class CapabilityInline(admin.TabularInline):
    model = Capability
    extra = 0


class MemberInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "country", "sector", "organisation_number", "claimed"]
    list_filter = ["country", "sector", "claimed"]
    search_fields = ["name", "organisation_number"]
    show_full_result_count = False
    inlines = [EntryDoorInline, CapabilityInline, MemberInline]
    autocomplete_fields = ["places"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "path", "population"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: Place | None = None) -> list[str]:
        # Sub-places' paths are built from these; changing them would orphan the paths.
        return ["country", "code", "parent"] if obj else []


@admin.register(ChangeSuggestion)
class ChangeSuggestionAdmin(admin.ModelAdmin):
    list_display = ["organisation", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["organisation", "proposed_by", "decided_by"]


@admin.register(ClaimRequest)
class ClaimRequestAdmin(admin.ModelAdmin):
    list_display = ["organisation", "user", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["organisation", "user", "decided_by"]
