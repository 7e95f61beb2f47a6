"""Targeting: where and with whom to act (docs/targeting.md).

Each concept is its own module; the public names are re-exported here.
"""

from healthgap.targeting.core20plus5 import Core20Plus5Result, core20plus5
from healthgap.targeting.difference import newcombe_difference
from healthgap.targeting.segment_rules import BridgesRules, NeedTierRules, rules_from_mapping
from healthgap.targeting.segments import SegmentResult, segments

__all__ = [
    "BridgesRules",
    "Core20Plus5Result",
    "NeedTierRules",
    "SegmentResult",
    "core20plus5",
    "newcombe_difference",
    "rules_from_mapping",
    "segments",
]
