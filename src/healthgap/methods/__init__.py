"""Pure statistics: DataFrame in, DataFrame out, no I/O.

Each method lives in its own module; this package re-exports the public functions.
"""

from healthgap.methods.proportion import proportion
from healthgap.methods.rate import rate

__all__ = ["proportion", "rate"]
