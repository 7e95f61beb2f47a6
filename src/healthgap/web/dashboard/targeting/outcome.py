"""Results kept on the snapshot, failures included.

A library call that cannot run on this workspace (no persons file, an indicator without
the breakdown asked for) raises :class:`~healthgap.errors.InputError`; the page shows its
message in the section instead of failing. The failure is kept like a result, so a call
that took seconds to fail is not repeated on every visit: both are dropped when the
warehouse changes (a new snapshot).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from healthgap.errors import InputError
from healthgap.web.dashboard.lru import LRU
from healthgap.web.dashboard.snapshot import Snapshot


@dataclass(frozen=True)
class Outcome[T]:
    """A section's data, or the reason there are none."""

    value: T | None = None
    error: str = ""


def attempt[T](compute: Callable[[], T]) -> Outcome[T]:
    """``compute()``, or the message of the :class:`InputError` it raised.

    >>> attempt(lambda: 2 + 2)
    Outcome(value=4, error='')
    >>> def fails() -> int:
    ...     raise InputError("no persons file")
    >>> attempt(fails).error
    'no persons file'
    """
    try:
        return Outcome(compute())
    except InputError as error:
        return Outcome(error=str(error))


def kept[T](snapshot: Snapshot, key: tuple[Hashable, ...], compute: Callable[[], T]) -> Outcome[T]:
    """:func:`attempt` once per snapshot and ``key`` (a few keys: fixed choices)."""
    return snapshot.memo(("targeting", *key), lambda: attempt(compute))


class Recent[T]:
    """The last ``size`` outcomes, for keys that come from free input (an amount of money):
    kept like :func:`kept`, but bounded, so that many different requests cannot fill the
    memory."""

    def __init__(self, size: int) -> None:
        self._kept: LRU[Outcome[T]] = LRU(size)

    def get(self, key: Hashable, compute: Callable[[], T]) -> Outcome[T]:
        """The outcome for ``key``, computed if it is not among the recent ones.

        >>> recent = Recent[int](2)
        >>> [recent.get(k, lambda: len(k)).value for k in ("a", "bb", "a", "ccc")]
        [1, 2, 1, 3]
        """
        return self._kept.get(key, lambda: attempt(compute))


def recent[T](
    snapshot: Snapshot, name: str, key: Hashable, compute: Callable[[], T], size: int = 32
) -> Outcome[T]:
    """:meth:`Recent.get` on the snapshot's bounded store called ``name``."""
    store: Recent[T] = snapshot.memo(("targeting", name), lambda: Recent(size))
    return store.get(key, compute)
