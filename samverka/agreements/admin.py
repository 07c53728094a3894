# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib import admin

from samverka.agreements.models import Agreement, AgreementTemplate
from samverka.core.admin import AuditedAdmin


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(AuditedAdmin):
    """Administrators adapt the templates: the sections (order, mandatory, title and
    guidance per language), the default principles, and whether a template is offered."""

    list_display = ["code", "form", "country", "language", "requires_post_pilot", "active"]
    list_filter = ["form", "country", "active"]


@admin.register(Agreement)
class AgreementAdmin(AuditedAdmin):
    """Read-only: versions and approvals are written by the parties, never edited here."""

    list_display = ["title", "status", "language", "version", "starts_on", "ends_on"]
    list_filter = ["status", "language"]
    search_fields = ["title"]
    show_full_result_count = False
    raw_id_fields = ["partnership", "created_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
