"""The personal data check: known identifiers are found, ordinary figures are not.

Phone numbers are from Ofcom's ranges reserved for drama (07700 900xxx, 020 7946 0xxx,
0161 496 0xxx, 01632 960xxx), postcodes from Royal Mail's format examples; NHS number
check digits are worked by hand below (NHS Data Dictionary, "NHS Number": weights 10 to 2
on the first nine digits, check digit = 11 − (sum mod 11), 11 → 0, 10 → invalid).
"""

from __future__ import annotations

import pytest

from healthgap.web.voice.personal_data import find_personal_data, nhs_number_is_valid


def kinds(text: str) -> list[str]:
    return [kind for kind, _ in find_personal_data(text)]


# 943 476 5919: 9·10 + 4·9 + 3·8 + 4·7 + 7·6 + 6·5 + 5·4 + 9·3 + 1·2
#   = 90 + 36 + 24 + 28 + 42 + 30 + 20 + 27 + 2 = 299; 299 = 27·11 + 2; 11 − 2 = 9 ✓ (last digit 9)
# 401 023 2137: 40 + 0 + 8 + 0 + 12 + 15 + 8 + 3 + 6 = 92; 92 = 8·11 + 4; 11 − 4 = 7 ✓
# 100 000 0060: 1·10 + 6·2 = 22; 22 = 2·11 + 0; 11 − 0 = 11 → check digit 0 ✓
VALID_NHS = ["9434765919", "943 476 5919", "943-476-5919", "4010232137", "100 000 0060"]
# 943 476 5910: as above the check digit must be 9, not 0.
# 123 456 789x: 10 + 18 + 24 + 28 + 30 + 30 + 28 + 24 + 18 = 210; 210 = 19·11 + 1;
#   11 − 1 = 10 → no valid NHS number begins 123456789.
# 401 023 2138: check digit must be 7.
INVALID_NHS = ["9434765910", "943 476 5910", "1234567890", "4010232138", "943 4765 919"]


@pytest.mark.parametrize("number", VALID_NHS)
def test_valid_nhs_numbers_are_found(number):
    assert find_personal_data(f"Patient {number} said") == [("NHS number", number)]


@pytest.mark.parametrize("number", INVALID_NHS)
def test_ten_digits_failing_the_check_are_not_nhs_numbers(number):
    assert "NHS number" not in kinds(f"Reference {number} please")


def test_check_digit_by_hand():
    assert nhs_number_is_valid("9434765919")
    assert not nhs_number_is_valid("9434765918")
    assert not nhs_number_is_valid("1234567890")  # check digit would be 10
    assert nhs_number_is_valid("1000000060")  # check digit 11 → 0
    assert not nhs_number_is_valid("943476591")  # nine digits


def test_ten_digits_failing_the_nhs_check_may_be_a_phone_number():
    # 016 329 6012: 0·10 + 1·9 + 6·8 + 3·7 + 2·6 + 9·5 + 6·4 + 0·3 + 1·2
    #   = 0 + 9 + 48 + 21 + 12 + 45 + 24 + 0 + 2 = 161 = 14·11 + 7 → check 4, not 2;
    # so not an NHS number, but a ten-digit 01 number.
    assert find_personal_data("ring 0163296012") == [("phone number", "0163296012")]


@pytest.mark.parametrize(
    "number",
    [
        "07700 900123",
        "07700900123",
        "07700-900-123",
        "07700 900 123",
        "+44 7700 900123",
        "+447700900123",
        "+44 (0)7700 900123",
        "0044 7700 900123",
        "020 7946 0018",
        "(020) 7946 0018",
        "020-7946-0018",
        "+44 20 7946 0018",
        "+44 (0)20 7946 0018",
        "0161 496 0000",
        "(0161) 496 0000",
        "01632 960123",
        "0300 123 4567",
    ],
)
def test_uk_phone_numbers_are_found(number):
    assert find_personal_data(f"Call {number} today.") == [("phone number", number)]


def test_a_phone_number_is_found_among_other_numbers():
    text = "In 2019 call 020 7946 0018 2 times a week"
    assert find_personal_data(text) == [("phone number", "020 7946 0018")]


@pytest.mark.parametrize(
    "text",
    [
        "0800 123 456",  # too short for a UK number
        "07700 9001234 5",  # twelve digits together
        "08081 570 000",  # freephone: not a personal number range the check looks for
        "020 7946 0018.5",  # the last group is a decimal number
    ],
)
def test_not_phone_numbers(text):
    assert "phone number" not in kinds(text)


@pytest.mark.parametrize(
    "postcode",
    [
        "M1 1AE",  # A9 9AA
        "B33 8TH",  # A99 9AA
        "CR2 6XH",  # AA9 9AA
        "DN55 1PT",  # AA99 9AA
        "W1A 0AX",  # A9A 9AA
        "EC1A 1BB",  # AA9A 9AA
        "SW1A 1AA",
        "sw1a 1aa",  # any case
        "LU12AB",  # no space
        "lu1 2ab",
        "GIR 0AA",
    ],
)
def test_full_postcodes_are_found(postcode):
    assert find_personal_data(f"lives at {postcode}, near the park") == [("postcode", postcode)]


@pytest.mark.parametrize(
    "text",
    [
        "QA1 1AA",  # Q is never the first letter
        "LU1 1CA",  # C is never an inward-code letter
        "LU1 1AM",  # nor M ("1am")
        "LU1",  # an outward code alone is a district, not an address
        "LU1 2",  # a sector
    ],
)
def test_not_full_postcodes(text):
    assert find_personal_data(f"around {text} mostly") == []


@pytest.mark.parametrize(
    "email", ["jo.bloggs@example.org", "a+b@mail.example.co.uk", "J_Smith99@nhs.net"]
)
def test_email_addresses_are_found(email):
    assert find_personal_data(f"email {email}.") == [("email address", email)]


ORDINARY = [
    "In 2024 the rate was 75.3%, up from 71.9% in 2019.",
    "Prices rose to £1,250 and £12.50; 3.5 per 1,000 people; 1 in 4 adults.",
    "Meetings on 01/02/2024, 2024-03-15 and 15.03.2024 from 10am-2pm.",
    "Life expectancy 78.4 years (95% CI 77.9 to 78.9); 12,345 residents; 2019/20; 2023-24.",
    "Core20PLUS5, COVID-19, the M1, A&E, ward 3, on the 8th at 2pm, age 65+.",
    "Population 100000 in 1,000,000; value 0.5; 0161 people in 2020 and 2021.",
    "Indicator values: 75.3%, 101.2, 0.87, 1.96, -3.4, 2,000,000.",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_no_false_positives_on_ordinary_text(text):
    assert find_personal_data(text) == []


def test_several_kinds_in_reading_order_each_once():
    text = "Jo (jo@example.org, 07700 900123) of LU1 2AB, NHS 943 476 5919."
    assert find_personal_data(text) == [
        ("email address", "jo@example.org"),
        ("phone number", "07700 900123"),
        ("postcode", "LU1 2AB"),
        ("NHS number", "943 476 5919"),
    ]


def test_long_runs_of_numbers_are_quick():
    # 1,000 single digits separated by spaces: bounded work per start, not quadratic.
    assert find_personal_data("0 " * 1000) == []
