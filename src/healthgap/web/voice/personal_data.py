"""Spotting obvious personal data in what someone is about to save as an insight.

An insight records what a community said, never who said it. Before one is saved its text
is checked for the identifiers people most often paste in by mistake: email addresses, UK
telephone numbers, NHS numbers and full postcodes. The check is deliberately narrow — it
looks for the *form* of these identifiers, not for names or addresses — so the writer is
warned about what is clearly there, and ordinary figures (years, prices, dates,
percentages, indicator values) pass without complaint.
"""

from __future__ import annotations

import re

#: The kinds :func:`find_personal_data` reports, as they are named to the writer.
EMAIL = "email address"
PHONE = "phone number"
NHS_NUMBER = "NHS number"
POSTCODE = "postcode"

_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,}(?![\w-])"
)

# Not part of a longer number or word: no digit, letter or '+' just before, and no
# decimal point or thousands separator between digits ("3.0161…", "1,016…").
_BEFORE = r"(?<![\w+])(?<!\d[.,])"
_AFTER = r"(?!\w)(?![.,]\d)"

# Ten digits, together or grouped 3-3-4 with the same separator twice, as NHS numbers are
# printed ("943 476 5919").
_FOLLOWED_BY_SEPARATOR = re.compile(_AFTER)

_TEN_DIGITS = re.compile(_BEFORE + r"(\d{3})([ -]?)(\d{3})\2(\d{4})" + _AFTER)

# A run of digit groups that might be (or contain) a telephone number: the international
# prefix, a bracketed trunk "(0)" or area code "(020)", digit groups, each separated by at
# most one space, dash or non-breaking space (or nothing, after a bracket).
_GROUP = r"(?:\+44|\(0\)|\(\d{2,5}\)|\d+)"
_RUN = re.compile(_BEFORE + _GROUP + r"(?:(?:[ \u00a0]?-[ \u00a0]?|[ \u00a0])?" + _GROUP + r")*")
_TOKENS = re.compile(_GROUP)
# UK numbers in national form: mobile 07 + 9 digits; geographic 01/02 and non-geographic
# 03 + 9 digits; a few 01 areas (e.g. 016977) have 10-digit numbers (Ofcom, National
# Telephone Numbering Plan).
_UK_NUMBER = re.compile(r"0(?:[1237]\d{9}|1\d{8})")
_MOST_DIGITS = 15

# Full postcodes (outward code, optional space, inward code) in the formats of the ONS
# Postcode Directory and Royal Mail: A9, A99, AA9, AA99, A9A and AA9A outward codes, then
# a digit and two letters, with each position's letters restricted as they publish; plus
# the one exception GIR 0AA.
_OUTWARD = (
    r"(?:[A-PR-UWYZ][0-9][A-HJKPSTUW]"  # A9A: W1A
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]"  # AA9A: EC1A, SW1A
    r"|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}"  # AA9, AA99: CR2, DN55
    r"|[A-PR-UWYZ][0-9]{1,2})"  # A9, A99: M1, B33
)
_POSTCODE = re.compile(
    r"\b(?:" + _OUTWARD + r" ?[0-9][ABD-HJLNP-UW-Z]{2}|GIR ?0AA)\b", re.IGNORECASE
)


def nhs_number_is_valid(digits: str) -> bool:
    """Whether ten digits carry a correct NHS number check digit (modulus 11).

    The first nine digits are weighted 10, 9, …, 2 and summed; the check digit is 11
    minus the remainder of that sum divided by 11, with 11 meaning 0 and 10 meaning that
    no valid NHS number has these first nine digits.

    References
    ----------
    NHS England, *NHS Data Dictionary*, attribute "NHS Number": "the tenth digit is a
    check digit used to confirm its validity … validated using the Modulus 11 algorithm".
    https://www.datadictionary.nhs.uk/attributes/nhs_number.html

    Examples
    --------
    >>> nhs_number_is_valid("9434765919")
    True
    >>> nhs_number_is_valid("9434765918")
    False
    """
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * weight for d, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _national(tokens: list[str]) -> str:
    """The digits of a telephone number in national form (leading 0), from its groups."""
    if tokens[0] == "+44":
        rest = [t for t in tokens[1:] if t != "(0)"] if len(tokens) > 1 else []
        digits = "".join(re.sub(r"\D", "", t) for t in rest)
        # "+44 020 …" is a common slip for "+44 20 …"
        return digits if digits.startswith("0") else "0" + digits
    digits = "".join(re.sub(r"\D", "", t) for t in tokens)
    return "0" + digits[4:] if digits.startswith("0044") else digits


def _phone_numbers(text: str) -> list[tuple[int, int]]:
    """Spans of UK telephone numbers: within each run of digit groups, the longest
    sequence of whole groups, from a group that can begin a number, that reads as one."""
    spans: list[tuple[int, int]] = []
    for run in _RUN.finditer(text):
        tokens = list(_TOKENS.finditer(run.group()))
        sizes = [sum(c.isdigit() for c in t.group()) for t in tokens]
        start = 0
        while start < len(tokens):
            first = tokens[start].group()
            found = None
            if first.startswith(("0", "+44", "(0")):
                # No UK number has more digits than "0044 (0)1xxx xxxxxx": longer stretches
                # are not tried, which keeps a long run of numbers cheap to scan.
                last = start + 1
                while last < len(tokens) and sum(sizes[start : last + 1]) <= _MOST_DIGITS:
                    last += 1
                for end in range(last, start, -1):
                    ends_at = run.start() + tokens[end - 1].end()
                    if _UK_NUMBER.fullmatch(
                        _national([t.group() for t in tokens[start:end]])
                    ) and _FOLLOWED_BY_SEPARATOR.match(text, ends_at):
                        found = end
                        break
            if found is None:
                start += 1
                continue
            spans.append(
                (run.start() + tokens[start].start(), run.start() + tokens[found - 1].end())
            )
            start = found
    return spans


def find_personal_data(text: str) -> list[tuple[str, str]]:
    """Obvious personal data in ``text``: ``(kind, matched text)`` pairs, in reading order.

    Kinds are ``"email address"``, ``"NHS number"`` (ten digits, together or spaced 3-3-4,
    with a valid modulus 11 check digit), ``"phone number"`` (UK mobile 07…, landline
    01/02 and 03 numbers, in national or +44 form, with spaces, dashes or brackets) and
    ``"postcode"`` (a full UK postcode in any case, with or without its space). Ten digits
    that fail the NHS number check may still be reported as a phone number. Each stretch of
    text is reported once, under the first of these kinds that matches it.

    References
    ----------
    NHS England, *NHS Data Dictionary*, attribute "NHS Number" (modulus 11 check digit).
    https://www.datadictionary.nhs.uk/attributes/nhs_number.html

    Office for National Statistics, *ONS Postcode Directory User Guide* (postcode formats);
    Royal Mail, *Programmers' Guide to the Postcode Address File* (letters each position
    may hold).

    Ofcom, *The National Telephone Numbering Plan* (lengths of UK numbers by range).

    Examples
    --------
    >>> find_personal_data("Call 07700 900123 or write to jo@example.org, LU1 2AB")
    [('phone number', '07700 900123'), ('email address', 'jo@example.org'), ('postcode', 'LU1 2AB')]
    >>> find_personal_data("NHS no. 943 476 5919")
    [('NHS number', '943 476 5919')]
    >>> find_personal_data("In 2024, 75.3% paid £1,250 on 01/02/2024")
    []
    """
    found: list[tuple[int, int, str]] = []

    def keep(start: int, end: int, kind: str) -> None:
        if not any(start < other_end and other_start < end for other_start, other_end, _ in found):
            found.append((start, end, kind))

    for match in _EMAIL.finditer(text):
        keep(match.start(), match.end(), EMAIL)
    for match in _TEN_DIGITS.finditer(text):
        if nhs_number_is_valid(match.group(1) + match.group(3) + match.group(4)):
            keep(match.start(), match.end(), NHS_NUMBER)
    for start, end in _phone_numbers(text):
        keep(start, end, PHONE)
    for match in _POSTCODE.finditer(text):
        keep(match.start(), match.end(), POSTCODE)
    return [(kind, text[start:end]) for start, end, kind in sorted(found)]
