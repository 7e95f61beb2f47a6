"""Possible duplicates: actions by different partners that seem to do the same thing.

Two actions are flagged when

1. different organisations lead them,
2. their wording (title and description) is similar: the cosine of their TF-IDF
   vectors is at least a threshold (0.3 by default), and
3. they share at least one priority, one population group and one locality.

An action with no localities is place-wide: it shares a locality with every action
(it serves everyone, wherever they live), including another place-wide action.
Stopped actions are left out, as in :mod:`~healthgap.web.plan.coverage`: they no longer
duplicate anybody's work.

The TF-IDF weights follow scikit-learn's ``TfidfVectorizer`` defaults (raw term counts,
smooth idf, l2 normalisation), written here with numpy so the method is visible and
has no further dependency.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import QuerySet

from healthgap.web.plan.coverage import incidence
from healthgap.web.plan.models import Action, Status

#: Words too common to say what an action does (a short list of our own).
STOP_WORDS = frozenset(
    """
    a about after all also an and any are as at be been before being between both but by
    can could do does each for from had has have how if in into is it its may more most
    new no not of on or our out over so some such than that the their them then there
    these they this those through to too under up upon us very was we were what when
    where which while who will with within would you your
    """.split()  # noqa: SIM905  (a word list reads better as text)
)
_TOKEN = re.compile(r"\b\w\w+\b")  # words of two or more letters or digits


def tokens(text: str) -> list[str]:
    """Lower-case words of two or more characters, stop words removed.

    Examples
    --------
    >>> tokens("Flu jabs for the over-65s, at a GP near you")
    ['flu', 'jabs', '65s', 'gp', 'near']
    """
    return [word for word in _TOKEN.findall(text.lower()) if word not in STOP_WORDS]


def tfidf(texts: Sequence[str]) -> np.ndarray:
    """TF-IDF vectors of ``texts``, one l2-normalised row per text.

    The weight of term *t* in document *d* is ``tf(t, d) × idf(t)``, where ``tf`` is the
    raw count and ``idf(t) = ln((1 + n) / (1 + df(t))) + 1`` (the "smooth" idf: as if
    one more document held every term once, so no term's idf is zero or undefined);
    each row is then divided by its Euclidean length. Columns follow the terms in
    alphabetical order. A text with no terms left gives a row of zeros.

    Parameters
    ----------
    texts : sequence of str

    Returns
    -------
    numpy.ndarray
        ``len(texts) × number of distinct terms``.

    References
    ----------
    Salton G, Buckley C (1988). Term-weighting approaches in automatic text retrieval.
    *Information Processing & Management* 24(5):513–523.

    Manning CD, Raghavan P, Schütze H (2008). *Introduction to Information Retrieval*,
    chapter 6: Scoring, term weighting and the vector space model. Cambridge University
    Press.

    Examples
    --------
    Two documents, three terms: "flu" is in both (idf = ln(3/3) + 1 = 1), "clinic"
    and "walk" in one each (idf = ln(3/2) + 1 ≈ 1.405).

    >>> weights = tfidf(["flu clinic", "flu walk"])
    >>> weights.round(3).tolist()
    [[0.815, 0.58, 0.0], [0.0, 0.58, 0.815]]
    """
    documents = [tokens(text) for text in texts]
    vocabulary = sorted({word for document in documents for word in document})
    column = {word: j for j, word in enumerate(vocabulary)}
    counts = np.zeros((len(documents), len(vocabulary)))
    rows = np.repeat(np.arange(len(documents)), [len(d) for d in documents])
    columns = np.array([column[w] for d in documents for w in d], dtype=np.int64)
    np.add.at(counts, (rows, columns), 1.0)
    document_frequency = (counts > 0).sum(axis=0)
    idf = np.log((1 + len(documents)) / (1 + document_frequency)) + 1
    weights = counts * idf
    lengths = np.linalg.norm(weights, axis=1, keepdims=True)
    return np.divide(weights, lengths, out=np.zeros_like(weights), where=lengths > 0)


def cosine_similarity(texts: Sequence[str]) -> np.ndarray:
    """Pairwise cosine similarity of the texts' TF-IDF vectors (see :func:`tfidf`).

    The vectors have length 1, so the cosines are their dot products: one matrix
    product gives every pair.

    Examples
    --------
    The two documents share only "flu", weighted 0.58 in each:

    >>> cosine_similarity(["flu clinic", "flu walk"]).round(3).tolist()
    [[1.0, 0.336], [0.336, 1.0]]
    """
    weights = tfidf(texts)
    return np.asarray(weights @ weights.T)


@dataclass(frozen=True)
class Duplicate:
    """Two actions that may duplicate each other, and why they were paired."""

    first: Action
    second: Action
    similarity: float
    shared_priorities: list[str]
    shared_groups: list[str]
    shared_localities: list[str]  # empty: both actions are place-wide
    reason: str


def _names(items: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    names = list(items)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _reason(similarity: float, priorities: list[str], groups: list[str], places: list[str]) -> str:
    where = f"in {_names(places)}" if places else "across the whole place"
    return (
        f"Similar wording ({similarity:.2f}); both serve {_names(groups)} {where} "
        f"for {_names(priorities)}"
    )


def _shared(first: Iterable[Any], second: Iterable[Any], label: str) -> list[str]:
    """Labels of the objects in both (prefetched) collections, in the first's order."""
    theirs = {o.pk for o in second}
    return [getattr(o, label) for o in first if o.pk in theirs]


def _live(actions: Iterable[Action] | QuerySet[Action] | None) -> list[Action]:
    if actions is None:
        chosen: QuerySet[Action] = Action.objects.all()
    elif isinstance(actions, QuerySet):
        chosen = actions
    else:
        chosen = Action.objects.filter(pk__in=[a.pk for a in actions])
    chosen = chosen.exclude(status=Status.STOPPED).order_by("pk")
    return list(
        chosen.select_related("lead").prefetch_related("priorities", "groups", "localities")
    )


def possible_duplicates(
    actions: Iterable[Action] | QuerySet[Action] | None = None, *, threshold: float = 0.3
) -> list[Duplicate]:
    """Pairs of actions led by different organisations that may do the same work.

    Parameters
    ----------
    actions : queryset or iterable of Action, optional
        The actions to compare; default: the whole plan. Stopped actions are left out.
    threshold : float
        The least cosine similarity of the two actions' TF-IDF vectors (title and
        description together) for them to be paired.

    Returns
    -------
    list of Duplicate
        Most similar first; each pair once.

    Notes
    -----
    Besides similar wording, a pair must share a priority, a population group and a
    locality; an action with no localities is place-wide and shares with every
    locality. Text similarity uses :func:`cosine_similarity` over the compared actions
    only (the idf weights depend on which actions are compared).

    References
    ----------
    Salton G, Buckley C (1988). Term-weighting approaches in automatic text retrieval.
    *Information Processing & Management* 24(5):513–523.

    Manning CD, Raghavan P, Schütze H (2008). *Introduction to Information Retrieval*,
    chapter 6. Cambridge University Press.
    """
    live = _live(actions)
    if len(live) < 2:
        return []
    similarity = cosine_similarity([f"{a.title}\n{a.description}" for a in live])
    row = {a.pk: i for i, a in enumerate(live)}

    def links(name: str) -> np.ndarray:
        objects = {o.pk: o for a in live for o in getattr(a, name).all()}
        column = {pk: j for j, pk in enumerate(objects)}
        pairs = [(a.pk, o.pk) for a in live for o in getattr(a, name).all()]
        return incidence(pairs, row, column)

    priorities, groups, places = links("priorities"), links("groups"), links("localities")
    place_wide = places.sum(axis=1) == 0
    leads = np.array([a.lead_id for a in live])
    candidate = (
        (similarity >= threshold)
        & (leads[:, None] != leads[None, :])
        & ((priorities @ priorities.T) > 0)
        & ((groups @ groups.T) > 0)
        & (((places @ places.T) > 0) | place_wide[:, None] | place_wide[None, :])
    )
    first, second = np.nonzero(np.triu(candidate, k=1))
    found = []
    for i, j in zip(first.tolist(), second.tolist(), strict=True):
        a, b = live[i], live[j]
        shared_p = _shared(a.priorities.all(), b.priorities.all(), "title")
        shared_g = _shared(a.groups.all(), b.groups.all(), "name")
        if place_wide[i] and place_wide[j]:
            shared_l: list[str] = []
        elif place_wide[i] or place_wide[j]:
            shared_l = [place.name for place in (b if place_wide[i] else a).localities.all()]
        else:
            shared_l = _shared(a.localities.all(), b.localities.all(), "name")
        score = float(similarity[i, j])
        reason = _reason(score, shared_p, shared_g, shared_l)
        found.append(Duplicate(a, b, score, shared_p, shared_g, shared_l, reason))
    return sorted(found, key=lambda d: (-d.similarity, d.first.pk, d.second.pk))
