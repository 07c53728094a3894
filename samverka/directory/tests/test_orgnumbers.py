# SPDX-License-Identifier: AGPL-3.0-or-later
import random

import pytest
from django.core.exceptions import ValidationError

from samverka.directory.models import Organisation
from samverka.directory.orgnumbers import make_valid, mod11_no_check_digit, normalise

# (country, as typed, canonical form)
VALID = [
    ("SE", "212000-1355", "212000-1355"),  # Göteborgs Stad
    ("SE", "2120001355", "212000-1355"),
    ("SE", "212000 1355", "212000-1355"),
    ("SE", " 556036-0793 ", "556036-0793"),
    ("SE", "16212000-1355", "212000-1355"),  # 12 digits with the "16" century prefix
    ("SE", "162120001355", "212000-1355"),
    ("NO", "923609016", "923609016"),
    ("NO", "923 609 016", "923609016"),
    ("NO", "974.760.673", "974760673"),
    ("DK", "10150817", "10150817"),
    ("DK", "61 12 62 28", "61126228"),
    ("DK", "25-31-37-63", "25313763"),
    ("SE", "", ""),  # the number is optional
    ("NO", "  ", ""),
]

# (country, as typed, error code)
INVALID = [
    ("SE", "212000-1356", "check"),  # Luhn fails
    ("SE", "556036-0794", "check"),
    ("SE", "21200013", "length"),
    ("SE", "212000-13550", "length"),  # 11 digits
    ("SE", "192120001355", "length"),  # 12 digits, but not the "16" prefix
    ("SE", "16212000-1356", "check"),
    ("SE", "212000-135X", "digits"),
    ("NO", "923609017", "check"),
    ("NO", "92360901", "length"),
    ("NO", "9236090160", "length"),
    ("NO", "910000080", "check"),  # body 91000008: its check digit would be 10
    ("NO", "910000081", "check"),
    ("DK", "10150818", "check"),
    ("DK", "12345678", "check"),
    ("DK", "1015081", "length"),
    ("DK", "AB150817", "digits"),
    ("DK", "01234560", "leading_zero"),  # weighted sum 77: only the leading 0 is wrong
    ("DK", "00000000", "leading_zero"),
    ("FI", "10150817", "country"),
]


@pytest.mark.parametrize(("country", "typed", "expected"), VALID)
def test_it_normalises_valid_numbers(country, typed, expected):
    assert normalise(country, typed) == expected


@pytest.mark.parametrize(("country", "typed", "code"), INVALID)
def test_it_rejects_invalid_numbers(country, typed, code):
    with pytest.raises(ValidationError) as caught:
        normalise(country, typed)
    assert caught.value.code == code


@pytest.mark.parametrize("body", ["91000008", "91000011", "91000025"])
def test_it_has_no_norwegian_check_digit_when_the_remainder_gives_10(body):
    assert mod11_no_check_digit(body) is None
    for last in "0123456789":
        with pytest.raises(ValidationError):
            normalise("NO", body + last)
    assert make_valid("NO", body) == ""


@pytest.mark.parametrize(
    ("country", "body", "expected"),
    [
        ("SE", "212000135", "212000-1355"),
        ("SE", "556036079", "556036-0793"),
        ("NO", "92360901", "923609016"),
        ("DK", "1015081", "10150817"),
    ],
)
def test_it_makes_the_known_valid_number_from_its_body(country, body, expected):
    assert make_valid(country, body) == expected


@pytest.mark.parametrize(("country", "length"), [("SE", 9), ("NO", 8), ("DK", 7)])
def test_it_makes_numbers_that_pass_their_own_check(country, length):
    rng = random.Random(country)
    made = 0
    for _ in range(300):
        body = "".join(rng.choices("0123456789", k=length))
        number = make_valid(country, body)
        if not number:
            continue
        made += 1
        assert normalise(country, number) == number
        assert number.replace("-", "").startswith(body)
    assert made > 200  # bodies whose check would be 10 (NO, DK) are skipped


@pytest.mark.parametrize("raw", ["²12000-1355", "٢١٢٠٠٠١٣٥٥", "２１２０００１３５５"])
def test_digits_of_other_scripts_are_refused_with_a_message(raw):
    # str.isdigit() accepts them; int() fails on some and the others are not a number.
    with pytest.raises(ValidationError, match="only digits"):
        normalise("SE", raw)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("16556036-0793", "556036-0793"),
        ("165560360793", "556036-0793"),
        ("16 556036 0793", "556036-0793"),
    ],
)
def test_the_swedish_16_prefix_is_dropped(typed, canonical):
    assert normalise("SE", typed) == canonical


@pytest.mark.parametrize("typed", ["16556036-0794", "165560360", "1655603607930", "17556036-0793"])
def test_the_16_prefix_does_not_excuse_a_wrong_number(typed):
    with pytest.raises(ValidationError):
        normalise("SE", typed)


def test_a_danish_number_starting_with_0_is_refused_and_never_made():
    with pytest.raises(ValidationError, match="never starts with 0"):
        normalise("DK", "01234560")
    assert make_valid("DK", "0123456") == ""


@pytest.mark.parametrize(
    ("country", "number", "message"),
    [
        ("SE", "212000-1356", "This Swedish organisation number has a wrong check digit."),
        ("NO", "923609017", "This Norwegian organisation number has a wrong check digit."),
        ("DK", "10150818", "This Danish CVR number fails its check (modulus 11)."),
        ("DK", "01234560", "A Danish CVR number never starts with 0."),
    ],
)
def test_a_wrong_number_is_refused_on_the_organisation_number_field(country, number, message):
    organisation = Organisation(name="Test", country=country, organisation_number=number)
    with pytest.raises(ValidationError) as caught:
        organisation.clean()
    assert caught.value.message_dict == {"organisation_number": [message]}
    assert organisation.organisation_number == number  # left as typed, for the form
