"""Possible duplicates: TF-IDF cosine checked by hand, and the pairing rules on known cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from healthgap.web.plan.actions import create_action
from healthgap.web.plan.duplicates import cosine_similarity, possible_duplicates, tfidf, tokens

# A tiny corpus: d1 "warm homes advice", d2 "warm homes grants", d3 "flu clinic".
# n = 3 documents. Document frequencies: warm 2, homes 2, advice 1, grants 1, flu 1, clinic 1.
# Smooth idf = ln((1 + n) / (1 + df)) + 1:
#   idf(warm) = idf(homes) = ln(4/3) + 1 = 1.2876821
#   idf(advice) = idf(grants) = idf(flu) = idf(clinic) = ln(4/2) + 1 = 1.6931472
# Each term occurs once, so d1 = (warm 1.2876821, homes 1.2876821, advice 1.6931472);
# |d1|² = 2 × 1.2876821² + 1.6931472² = 3.3162502 + 2.8667474 = 6.1829976.
# d1 · d2 (before normalising) = 2 × 1.2876821² = 3.3162502, and |d2| = |d1|, so
# cos(d1, d2) = 3.3162502 / 6.1829976 = 0.5363499; d3 shares no term: cos = 0.
CORPUS = ["warm homes advice", "warm homes grants", "flu clinic"]
COS_12 = 0.5363499
WARM_IN_D1 = 1.2876821 / math.sqrt(6.1829976)  # 0.5178561
ADVICE_IN_D1 = 1.6931472 / math.sqrt(6.1829976)  # 0.6809186

pytestmark = pytest.mark.django_db


def test_tfidf_weights_match_the_hand_calculation():
    weights = tfidf(CORPUS)
    # columns are the terms in alphabetical order
    terms = sorted({"warm", "homes", "advice", "grants", "flu", "clinic"})
    row = dict(zip(terms, weights[0], strict=True))
    assert row["warm"] == pytest.approx(WARM_IN_D1, abs=1e-6)
    assert row["homes"] == pytest.approx(WARM_IN_D1, abs=1e-6)
    assert row["advice"] == pytest.approx(ADVICE_IN_D1, abs=1e-6)
    assert row["grants"] == row["flu"] == 0
    assert np.linalg.norm(weights, axis=1) == pytest.approx([1, 1, 1])


def test_cosine_matches_the_hand_calculation():
    similarity = cosine_similarity(CORPUS)
    assert similarity[0, 1] == pytest.approx(COS_12, abs=1e-6)
    assert similarity[0, 2] == 0 and similarity[1, 2] == 0
    assert np.diag(similarity) == pytest.approx([1, 1, 1])


def test_tokens_drop_case_stop_words_and_single_letters():
    assert tokens("The FLU clinic, a walk-in for you") == ["flu", "clinic", "walk"]
    assert tfidf(["the and of", "flu"])[0].tolist() == [0.0]  # nothing left: a zero row


def _action(admin, title, lead, *, groups=("older_people",), places=("E02000001",),
            priorities=("living_standard",), status="on_track", description=""):  # fmt: skip
    return create_action(
        {"title": title, "description": description, "lead": lead, "status": status,
         "groups": list(groups), "localities": list(places), "priorities": list(priorities)},
        by=admin,
    )  # fmt: skip


@pytest.fixture
def corpus_plan(admin, partners, places):
    """The hand-calculated corpus as three actions: the first two by different partners,
    both for older people in Northside under a healthy standard of living."""
    first = _action(admin, "Warm homes advice", "Fire and Rescue")
    second = _action(admin, "Warm homes grants", "Food Network")
    third = _action(admin, "Flu clinic", "Hospital Trust")
    return first, second, third


def test_near_identical_actions_from_different_partners_are_flagged(corpus_plan):
    first, second, _ = corpus_plan
    (pair,) = possible_duplicates()
    assert (pair.first, pair.second) == (first, second)
    assert pair.similarity == pytest.approx(COS_12, abs=1e-6)
    assert pair.shared_groups == ["Older people"] and pair.shared_localities == ["Northside"]
    assert pair.shared_priorities == ["Ensure a healthy standard of living for all"]
    assert pair.reason == (
        "Similar wording (0.54); both serve Older people in Northside for "
        "Ensure a healthy standard of living for all"
    )


def test_the_threshold_is_respected(corpus_plan):
    assert possible_duplicates(threshold=0.54) == []  # 0.536 < 0.54
    assert len(possible_duplicates(threshold=0.53)) == 1


def test_same_organisation_is_not_flagged(admin, partners, places):
    _action(admin, "Warm homes advice", "Fire and Rescue")
    _action(admin, "Warm homes advice and grants", "Fire and Rescue")
    assert possible_duplicates() == []


def test_similar_text_without_a_shared_group_is_not_flagged(admin, partners, places):
    _action(admin, "Warm homes advice", "Fire and Rescue", groups=["older_people"])
    _action(admin, "Warm homes advice", "Food Network", groups=["carers"])
    assert possible_duplicates() == []


def test_similar_text_without_a_shared_priority_or_place_is_not_flagged(admin, partners, places):
    _action(admin, "Warm homes advice", "Fire and Rescue", priorities=["places"])
    _action(admin, "Warm homes advice", "Food Network", priorities=["living_standard"])
    _action(admin, "Warm homes advice", "Hospital Trust", places=["E02000002"],
            priorities=["prevention"])  # fmt: skip
    assert possible_duplicates() == []


def test_a_place_wide_action_shares_every_locality(admin, partners, places):
    _action(admin, "Warm homes advice", "Fire and Rescue", places=["E02000002"])
    _action(admin, "Warm homes advice", "Food Network", places=[])
    (pair,) = possible_duplicates()
    assert pair.shared_localities == ["Southside"]
    assert pair.similarity == pytest.approx(1.0)
    _action(admin, "Warm homes advice", "Hospital Trust", places=[])
    both_wide = [d for d in possible_duplicates() if not d.shared_localities]
    assert len(both_wide) == 1 and "across the whole place" in both_wide[0].reason


def test_stopped_actions_are_not_compared(admin, partners, places):
    _action(admin, "Warm homes advice", "Fire and Rescue")
    _action(admin, "Warm homes advice", "Food Network", status="stopped")
    assert possible_duplicates() == []


def test_pairs_are_sorted_most_similar_first(admin, partners, places):
    _action(admin, "Warm homes advice", "Fire and Rescue", description="home visits")
    _action(admin, "Warm homes advice", "Food Network", description="home visits")
    _action(admin, "Warm homes advice", "Hospital Trust", description="grants for boilers")
    found = possible_duplicates()
    assert len(found) == 3
    similarities = [d.similarity for d in found]
    assert similarities == sorted(similarities, reverse=True) and similarities[0] == pytest.approx(
        1
    )
    assert {found[0].first.lead.name, found[0].second.lead.name} == {
        "Fire and Rescue",
        "Food Network",
    }
