"""A small thread-safe cache of the most recently used results, bounded in size."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator


class LRU[T]:
    """The last ``size`` results by key; older ones are dropped as new ones arrive.

    For keys that come from free input (an amount of money, a user), where an unbounded
    cache could be filled by many different requests.

    >>> recent = LRU[int](2)
    >>> [recent.get(k, lambda: len(k)) for k in ("a", "bb", "a", "ccc")]
    [1, 2, 1, 3]
    >>> list(recent)
    ['a', 'ccc']
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()  # the server answers requests in threads

    def __iter__(self) -> Iterator[Hashable]:
        return iter(list(self._items))

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result for ``key``, computed (outside the lock) if it is not kept."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value
