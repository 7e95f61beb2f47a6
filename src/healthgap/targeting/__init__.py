"""Targeting: where and with whom to act (docs/targeting.md).

Each concept is its own module; the public names are re-exported here.
"""

from healthgap.targeting.allocation import allocate, allocation_gradient
from healthgap.targeting.allocation_places import Allocation, allocation_for
from healthgap.targeting.audit import equity_audit
from healthgap.targeting.audit_data import Audit, audit_service
from healthgap.targeting.communities import communities_for
from healthgap.targeting.core20plus5 import Core20Plus5Result, core20plus5
from healthgap.targeting.difference import newcombe_difference
from healthgap.targeting.need import need_index
from healthgap.targeting.potential import potential_to_benefit
from healthgap.targeting.segment_rules import BridgesRules, NeedTierRules, rules_from_mapping
from healthgap.targeting.segments import SegmentResult, segments

__all__ = [
    "Allocation",
    "Audit",
    "BridgesRules",
    "Core20Plus5Result",
    "NeedTierRules",
    "SegmentResult",
    "allocate",
    "allocation_for",
    "allocation_gradient",
    "audit_service",
    "communities_for",
    "core20plus5",
    "equity_audit",
    "need_index",
    "newcombe_difference",
    "potential_to_benefit",
    "rules_from_mapping",
    "segments",
]
