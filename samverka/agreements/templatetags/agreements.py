# SPDX-License-Identifier: AGPL-3.0-or-later
from django import template

from samverka.agreements.catalogue import in_language, principles

register = template.Library()


@register.simple_tag
def default_principles() -> list[dict[str, str]]:
    """{% default_principles as defaults %}: the six principles of data/principles.json,
    each {code, name, guidance} in the current language."""
    return [
        {
            "code": principle["code"],
            "name": in_language(principle["name"]),
            "guidance": in_language(principle["guidance"]),
        }
        for principle in principles()
    ]
