import dataclasses

import pytest

from healthgap.disclosure import DisclosureRules
from healthgap.errors import InputError


def test_rules_defaults_follow_nhs_digital_and_opensafely():
    rules = DisclosureRules()
    assert (rules.threshold, rules.rounding, rules.secondary, rules.suppress_zero) == (
        7,
        5,
        True,
        False,
    )


def test_rules_from_mapping_reads_a_workspace_table():
    table = {"threshold": 10, "rounding": 10, "secondary": False, "suppress_zero": True}
    assert DisclosureRules.from_mapping(table) == DisclosureRules(10, 10, False, True)


def test_rules_from_mapping_keeps_defaults_for_missing_keys():
    assert DisclosureRules.from_mapping({}) == DisclosureRules()
    assert DisclosureRules.from_mapping({"rounding": 0}).threshold == 7


def test_rules_to_mapping_round_trips():
    rules = DisclosureRules(threshold=5, rounding=1)
    assert DisclosureRules.from_mapping(rules.to_mapping()) == rules
    assert DisclosureRules().to_mapping() == {
        "threshold": 7,
        "rounding": 5,
        "secondary": True,
        "suppress_zero": False,
    }


def test_rules_are_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DisclosureRules().threshold = 3  # type: ignore[misc]


def test_rules_from_mapping_rejects_an_unknown_key():
    with pytest.raises(InputError, match=r"unknown disclosure setting\(s\) 'treshold'"):
        DisclosureRules.from_mapping({"treshold": 7})


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("threshold", "7"),
        ("threshold", 7.0),
        ("threshold", -1),
        ("threshold", True),
        ("rounding", 2.5),
        ("rounding", -5),
        ("rounding", None),
    ],
)
def test_rules_from_mapping_rejects_a_bad_number(key, value):
    with pytest.raises(InputError, match=f"'{key}' must be a whole number of 0 or more"):
        DisclosureRules.from_mapping({key: value})


@pytest.mark.parametrize("key", ["secondary", "suppress_zero"])
@pytest.mark.parametrize("value", ["yes", 1, 0, None])
def test_rules_from_mapping_rejects_a_bad_switch(key, value):
    with pytest.raises(InputError, match=f"'{key}' must be true or false"):
        DisclosureRules.from_mapping({key: value})


@pytest.mark.parametrize("mapping", [None, [("threshold", 7)], "threshold = 7"])
def test_rules_from_mapping_rejects_a_non_table(mapping):
    with pytest.raises(InputError, match="must be a table"):
        DisclosureRules.from_mapping(mapping)


def test_rules_constructor_validates_too():
    with pytest.raises(InputError, match="'threshold'"):
        DisclosureRules(threshold=-3)
