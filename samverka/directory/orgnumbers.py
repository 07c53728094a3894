# SPDX-License-Identifier: AGPL-3.0-or-later
"""National organisation numbers: normalise and check the check digit.

The checks are python-stdnum's (`se.orgnr`, `no.orgnr`, `dk.cvr`); this module
adds what the directory needs around them: one cleaning for all three
countries, ASCII digits only, the Swedish 12-digit form with a "16" century
prefix, the canonical form we store, and messages tied to the field.

SE organisationsnummer: 10 digits, Luhn check digit. NO organisasjonsnummer:
9 digits, mod 11 (a body whose check digit would be 10 is never issued). DK
CVR: 8 digits, never starting with 0, weighted sum divisible by 11.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import luhn
from stdnum.dk import cvr as dk_cvr
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as NumberError
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr

_NON_DIGITS = re.compile(r"[\s\-.]")

# Per country: stdnum's validator, and our message per kind of failure. The
# digits are checked before stdnum sees them, so its InvalidFormat only means
# what the country's rule adds (a Danish CVR number starting with 0).
_CHECKS = {
    "SE": (
        se_orgnr.validate,
        {
            InvalidLength: (
                _("A Swedish organisation number has 10 digits (NNNNNN-NNNN)."),
                "length",
            ),
            InvalidChecksum: (
                _("This Swedish organisation number has a wrong check digit."),
                "check",
            ),
        },
    ),
    "NO": (
        no_orgnr.validate,
        {
            InvalidLength: (_("A Norwegian organisation number has 9 digits."), "length"),
            InvalidChecksum: (
                _("This Norwegian organisation number has a wrong check digit."),
                "check",
            ),
        },
    ),
    "DK": (
        dk_cvr.validate,
        {
            InvalidFormat: (_("A Danish CVR number never starts with 0."), "leading_zero"),
            InvalidLength: (_("A Danish CVR number has 8 digits."), "length"),
            InvalidChecksum: (
                _("This Danish CVR number fails its check (modulus 11)."),
                "check",
            ),
        },
    ),
}


def normalise(country: str, raw: str) -> str:
    """The number in its canonical form for `country`, or ValidationError."""
    # Most numbers come as plain digits, or with one dash: no regex for those.
    digits = (raw or "").replace("-", "")
    if not digits.isdigit():
        digits = _NON_DIGITS.sub("", digits)
    if not digits:
        return ""
    if not (digits.isascii() and digits.isdigit()):  # "²" and "٢" are isdigit() too
        raise ValidationError(_("An organisation number may contain only digits."), code="digits")
    if country not in _CHECKS:
        raise ValidationError(_("Unknown country."), code="country")
    if country == "SE" and len(digits) == 12 and digits.startswith("16"):
        # Skatteverket's 12-digit form: "16" stands where a person's century would.
        digits = digits[2:]
    validate, messages = _CHECKS[country]
    try:
        validate(digits)
    except NumberError as error:
        # Anything stdnum refuses that we have no message for is a wrong number.
        message, code = messages.get(type(error), messages[InvalidChecksum])
        raise ValidationError(message, code=code) from error
    return f"{digits[:6]}-{digits[6:]}" if country == "SE" else digits


def mod11_no_check_digit(first8: str) -> int | None:
    """The Norwegian check digit for the first 8 digits, or None when the
    remainder gives 10 (such numbers are never issued)."""
    for last in range(10):
        if no_orgnr.checksum(first8 + str(last)) == 0:
            return last
    return None


def make_valid(country: str, body: str) -> str:
    """A valid number built from `body` (digits without the check digit); for
    demo and generated data. Returns "" when no valid number has that body."""
    if country == "SE":
        number = body + luhn.calc_check_digit(body)
        return f"{number[:6]}-{number[6:]}"
    if country == "NO":
        check = mod11_no_check_digit(body)
        return "" if check is None else body + str(check)
    if country == "DK":
        # stdnum has no check-digit helper for CVR numbers; at most one last
        # digit passes, and none when the body starts with 0.
        for last in range(10):
            if dk_cvr.is_valid(body + str(last)):
                return body + str(last)
    return ""
