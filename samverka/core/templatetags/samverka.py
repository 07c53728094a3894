# SPDX-License-Identifier: AGPL-3.0-or-later
import html
from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.safestring import SafeString, mark_safe

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


# The filters below build HTML for the search page's many small repeated
# parts; each template node costs, and format_html per piece costs more still.
# Every value is escaped; mark_safe only wraps the joined, escaped result.
# html.escape is what django.utils.html.escape calls, without the lazy-string
# wrapper around it (150 calls a search page).


def escape(value: Any) -> str:
    return html.escape(str(value))


@register.filter
def marked(pieces: list[tuple[str, bool]]) -> SafeString:
    """(text, matched) pieces as HTML with the matches in <mark>."""
    markup = "".join(f"<mark>{escape(t)}</mark>" if hit else escape(t) for t, hit in pieces)
    return mark_safe(markup)  # noqa: S308 (escaped above)


@register.filter
def options(choices: list[tuple[str, str, bool]]) -> SafeString:
    """(value, label, selected) as <option> elements."""
    markup = "".join(
        f'<option value="{escape(value)}"{" selected" if selected else ""}>{escape(label)}</option>'
        for value, label, selected in choices
    )
    return mark_safe(markup)  # noqa: S308 (escaped above)


@register.filter
def facet_items(items: list[dict[str, Any]], at_least: bool) -> SafeString:
    """A facet's values as <li> links with their counts ("≥ n" when counted
    among a capped set of matches) on the same line."""
    prefix = "≥ " if at_least else ""
    markup = "".join(
        f'<li><a class="ds-link" href="{escape(item["url"])}"'
        f"{ARIA_CURRENT if item['selected'] else ''}>{escape(item['label'])}</a>"
        f' <span class="facet-count">({prefix}{int(item["count"])})</span></li>'
        for item in items
    )
    return mark_safe(markup)  # noqa: S308 (escaped above)


ARIA_CURRENT = ' aria-current="true"'
