# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib import admin
from django.http import HttpRequest

from samverka.accounts.models import Membership
from samverka.core.admin import AuditedAdmin
from samverka.directory.models import EntryDoor, Organisation, Place


class EntryDoorInline(admin.StackedInline):
    model = EntryDoor
    extra = 0


class MemberInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "country", "sector", "organisation_number", "municipality"]
    list_filter = ["country", "sector"]
    search_fields = ["name", "organisation_number"]
    show_full_result_count = False
    inlines = [EntryDoorInline, MemberInline]
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
