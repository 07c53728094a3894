# SPDX-License-Identifier: AGPL-3.0-or-later
"""Text people type: the characters a field refuses and how long it may be.

One definition, used everywhere a value can come from: as validators on the
model fields (so ModelForms and every service's ``full_clean`` apply them), by
every form (``core.forms``), by the API's schemas (``api_text``) and by the
import's cleaning (``directory.transfer.columns``), all with the same messages.

Single-line fields refuse every control character (C0, DEL, C1): a line break in
an organisation's name ends up in e-mail headers, which then cannot be sent.
Multi-line fields keep line breaks and tabs. Both refuse the bidirectional
overrides and isolates (U+202A–U+202E, U+2066–U+2069), which make text read
differently from how it is stored (a "Trojan Source" name or link).
"""

import re
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

# The longest free text (descriptions, commitments, statements) anywhere.
LONG_TEXT_MAX_LENGTH = 20_000

_BIDI = "\u202a-\u202e\u2066-\u2069"
SINGLE_LINE_REFUSED = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
# Multi-line text keeps tab, line feed and carriage return (browsers send CRLF).
MULTI_LINE_REFUSED = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")

SINGLE_LINE_MESSAGE = _(
    "Write this on one line, without line breaks, tabs or invisible control characters."
)
MULTI_LINE_MESSAGE = _(
    "Remove the invisible control characters (such as text-direction overrides) from this text."
)


@deconstructible
class PlainTextValidator:
    """Refuses control and bidirectional-override characters; `multiline`
    allows line breaks and tabs."""

    code = "control_characters"

    def __init__(self, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value: Any) -> None:
        if isinstance(value, str) and text_problem(value, multiline=self.multiline):
            raise ValidationError(self.message, code=self.code)

    @property
    def message(self) -> Any:
        return MULTI_LINE_MESSAGE if self.multiline else SINGLE_LINE_MESSAGE

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainTextValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash(self.multiline)


single_line = PlainTextValidator()
multi_line = PlainTextValidator(multiline=True)


def text_problem(value: str, *, multiline: bool = False) -> bool:
    """True if `value` holds a character the field refuses."""
    pattern = MULTI_LINE_REFUSED if multiline else SINGLE_LINE_REFUSED
    return pattern.search(value) is not None


def text_errors(value: str, *, max_length: int | None, multiline: bool = False) -> list[str]:
    """The messages a form would show for `value` (empty if it is fine)."""
    validators: list[Any] = [multi_line if multiline else single_line]
    if max_length is not None:
        validators.append(MaxLengthValidator(max_length))
    messages: list[str] = []
    for validator in validators:
        try:
            validator(value)
        except ValidationError as error:
            messages.extend(error.messages)
    return messages


def _api_check(max_length: int | None, multiline: bool) -> Any:
    def check(value: str) -> str:
        messages = text_errors(value, max_length=max_length, multiline=multiline)
        if messages:
            # A custom error keeps the message as is (no "Value error, " prefix).
            raise PydanticCustomError("invalid_text", "{message}", {"message": " ".join(messages)})
        return value

    return check


def api_text(max_length: int | None = None, *, multiline: bool = False) -> Any:
    """A str type for the API's schemas: the same checks and messages as the
    forms; the limit still shows in the OpenAPI schema as maxLength."""
    extra = {"maxLength": max_length} if max_length is not None else {}
    return Annotated[
        str, Field(json_schema_extra=extra), AfterValidator(_api_check(max_length, multiline))
    ]
