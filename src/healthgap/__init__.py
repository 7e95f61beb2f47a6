"""healthgap: whole-system action on health inequalities.

The public Python API. Every method takes a pandas DataFrame and returns a new one::

    import healthgap as hg
    hg.proportion(df, "vaccinated", "eligible", by="imd_decile", confidence=[0.95, 0.998])
"""

from healthgap.errors import InputError
from healthgap.methods import (
    QUANTILE_NAMES,
    compare,
    dsr,
    funnel_limits,
    funnel_significance,
    inequality,
    inequality_trend,
    isr,
    life_expectancy,
    mean,
    proportion,
    quantiles,
    rate,
    recent_trend,
    sii,
)

__version__ = "0.1.0"

__all__ = [
    "QUANTILE_NAMES",
    "InputError",
    "__version__",
    "compare",
    "dsr",
    "funnel_limits",
    "funnel_significance",
    "inequality",
    "inequality_trend",
    "isr",
    "life_expectancy",
    "mean",
    "proportion",
    "quantiles",
    "rate",
    "recent_trend",
    "sii",
]
