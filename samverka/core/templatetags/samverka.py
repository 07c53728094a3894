# SPDX-License-Identifier: AGPL-3.0-or-later
from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from samverka.accounts.models import Role
from samverka.core.permissions import can as can_do

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str, obj: models.Model) -> bool:
    """{% can "edit" organisation as may_edit %}: the permission layer in templates."""
    return can_do(context["request"].user, action, obj)


@register.filter
def lookup(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "")


@register.filter
def field_label(name: str, obj: models.Model) -> str:
    try:
        return str(obj._meta.get_field(name).verbose_name).capitalize()
    except FieldDoesNotExist:
        return name


@register.filter
def role_label(value: Any) -> str:
    labels = dict(Role.choices)
    if isinstance(value, list):
        return " → ".join(str(labels.get(v, v)) for v in value)
    return str(labels.get(value, value))
