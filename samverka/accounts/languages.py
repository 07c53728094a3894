# SPDX-License-Identifier: AGPL-3.0-or-later
"""Which language to write to someone in: what they chose, else their country's."""

from django.conf import settings
from django.db.models.functions import Lower

from samverka.accounts.models import User

# The language most people in an organisation's country read.
COUNTRY_LANGUAGE = {"SE": "sv", "NO": "nb", "DK": "da"}


def country_language(country: str) -> str:
    return COUNTRY_LANGUAGE.get(country, settings.LANGUAGE_CODE)


def recipient_languages(emails: list[str], country: str) -> dict[str, str]:
    """{address (lower case): language} for e-mail to these addresses: the
    language a known person saved, else that of the organisation's country, never
    the sender's (a platform administrator writes in English to a Danish office)."""
    fallback = country_language(country)
    wanted = {email.strip().lower() for email in emails if email}
    languages = dict.fromkeys(wanted, fallback)
    saved = User.objects.annotate(address=Lower("email")).filter(address__in=wanted)
    for address, language in saved.exclude(language="").values_list("address", "language"):
        languages[address] = language
    return languages


def recipient_language(email: str, country: str) -> str:
    return recipient_languages([email], country)[email.strip().lower()]
