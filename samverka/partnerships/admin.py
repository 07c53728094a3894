# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib import admin

from samverka.core.admin import AuditedAdmin
from samverka.partnerships.models import ChecklistStep, Partnership, PartnershipMember


@admin.register(ChecklistStep)
class ChecklistStepAdmin(AuditedAdmin):
    """Administrators adapt the start checklist: a row with a form and/or country
    replaces the base step there (title, guidance and mandatory, per language)."""

    list_display = ["number", "code", "form", "country", "mandatory"]
    list_filter = ["mandatory", "form", "country"]
    ordering = ["number", "form", "country"]


class MemberInline(admin.TabularInline):
    model = PartnershipMember
    extra = 0
    raw_id_fields = ["organisation", "invited_by", "entry_door"]
    filter_horizontal = ["representatives"]


@admin.register(Partnership)
class PartnershipAdmin(AuditedAdmin):
    list_display = ["name", "status", "visibility", "country", "has_late_joiners"]
    list_filter = ["status", "visibility", "country", "has_late_joiners"]
    search_fields = ["name"]
    show_full_result_count = False
    inlines = [MemberInline]
    autocomplete_fields = ["places"]
    readonly_fields = ["has_late_joiners"]
