"""Segment rule sets: defaults, settings from a [segments] table, and bad settings."""

from __future__ import annotations

import tomllib

import pytest

from healthgap.errors import InputError
from healthgap.targeting.segment_rules import (
    BridgesRules,
    NeedTierRules,
    rules_from_mapping,
    rules_named,
)


def test_segment_rules_defaults():
    bridges = BridgesRules()
    assert [key for key, _ in bridges.SEGMENTS] == [
        "healthy", "maternal_infant", "acutely_ill", "chronic", "disability",
        "short_decline", "organ_failure", "frailty",
    ]  # fmt: skip
    assert set(bridges.organ_failure) <= set(bridges.concepts)
    assert "dementia" in bridges.concepts and bridges.flags == (
        "learning_disability",
        "severe_mental_illness",
    )
    tiers = NeedTierRules()
    assert [key for key, _ in tiers.SEGMENTS] == ["universal", "targeted", "specialist"]
    assert tiers.flags == ("learning_disability", "severe_mental_illness", "carer", "homeless")


def test_segment_rules_from_a_toml_table():
    settings = tomllib.loads(
        """
        [segments]
        rules = "need_tiers"
        [segments.need_tiers]
        specialist_ltcs = 4
        plus_flags = ["homeless"]
        [segments.bridges]
        frailty_age = 80
        """
    )["segments"]
    tiers = rules_from_mapping(settings)
    assert tiers == NeedTierRules(specialist_ltcs=4, plus_flags=("homeless",))
    bridges = rules_from_mapping(settings, name="bridges")
    assert bridges == BridgesRules(frailty_age=80)
    assert rules_from_mapping({}) == BridgesRules()
    assert rules_named("need_tiers") == NeedTierRules()
    assert rules_named(bridges) is bridges


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"rules": "tiers"}, "unknown segment rules 'tiers'"),
        ({"bridge": {}}, r"unknown \[segments\] key\(s\) 'bridge'"),
        ({"bridges": {"frail_age": 80}}, r"unknown \[segments.bridges\] setting\(s\) 'frail_age'"),
        ({"bridges": 3}, r"\[segments.bridges\] must be a table"),
        ({"bridges": {"frailty_age": -1}}, "'frailty_age' must be a whole number"),
        ({"bridges": {"frailty_age": True}}, "'frailty_age' must be a whole number"),
        ({"bridges": {"organ_failure": "copd"}}, "'organ_failure' must be a list of names"),
        ({"bridges": {"admission": ""}}, "'admission' must be a concept name"),
        ({"rules": "need_tiers", "need_tiers": {"targeted_ltcs": 4}},
         "'targeted_ltcs' \\(4\\) must not exceed 'specialist_ltcs'"),
    ],
)  # fmt: skip
def test_segment_rules_reject_bad_settings(mapping, message):
    with pytest.raises(InputError, match=message):
        rules_from_mapping(mapping)


def test_segment_rules_reject_a_non_table():
    with pytest.raises(InputError, match="must be a table"):
        rules_from_mapping(["bridges"])  # type: ignore[arg-type]
    with pytest.raises(InputError, match="unknown segment rules"):
        rules_named("tiers")
