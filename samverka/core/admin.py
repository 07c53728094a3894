# SPDX-License-Identifier: AGPL-3.0-or-later
from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from samverka.core.audit import log_action
from samverka.core.models import LogEntry


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits land in the same history as edits made on the pages."""

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change:
            changes = {
                name: [str(form.initial.get(name, "")), str(form.cleaned_data.get(name, ""))]
                for name in form.changed_data
            }
            log_action(obj, "admin.changed", user=request.user, data={"changes": changes})
        else:
            log_action(obj, "admin.added", user=request.user)


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_label", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_label"]
    date_hierarchy = "created_at"
    list_select_related = ["content_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
