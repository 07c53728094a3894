# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib import admin

from samverka.agreements.models import (
    Agreement,
    AgreementTemplate,
    CommittedContribution,
    CommittedDate,
    CommittedPilotPath,
    CommittedPrinciple,
)
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


class CommitmentAdmin(admin.ModelAdmin):
    """Read-only: the rows are what a version approved by all says, written once."""

    show_full_result_count = False
    raw_id_fields = ["agreement", "version"]
    list_select_related = ["agreement", "version"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CommittedContribution)
class CommittedContributionAdmin(CommitmentAdmin):
    list_display = ["agreement", "version", "party", "year", "kind", "amount", "unit"]
    list_filter = ["kind", "unit", "year"]
    raw_id_fields = [*CommitmentAdmin.raw_id_fields, "party"]
    list_select_related = [*CommitmentAdmin.list_select_related, "party"]


@admin.register(CommittedPrinciple)
class CommittedPrincipleAdmin(CommitmentAdmin):
    list_display = ["agreement", "version", "code", "name"]
    list_filter = ["code"]


@admin.register(CommittedPilotPath)
class CommittedPilotPathAdmin(CommitmentAdmin):
    list_display = ["agreement", "version", "route", "decision_on", "budget", "currency"]
    list_filter = ["route"]


@admin.register(CommittedDate)
class CommittedDateAdmin(CommitmentAdmin):
    list_display = ["agreement", "version", "kind", "on"]
    list_filter = ["kind"]
    date_hierarchy = "on"
