"""A synthetic population on real English geography (``healthgap synth``).

Deterministic from a seed, with known built-in gradients recorded in ``truth.json``, so
every feature can be shown and tested without personal data. See docs/synthetic-data.md.

Usage (needs real files, so not run as a doctest)::

    from healthgap.demo import synthesise
    result = synthesise("Luton", seed=2025, out="synthetic/luton")
"""

from healthgap.demo.generate import (
    DEFAULT_PLACE,
    DEFAULT_SEED,
    SynthResult,
    default_out,
    synthesise,
)
from healthgap.demo.writer import NOTICE

__all__ = ["DEFAULT_PLACE", "DEFAULT_SEED", "NOTICE", "SynthResult", "default_out", "synthesise"]
