"""healthgap: whole-system action on health inequalities.

The public Python API. Every method takes a pandas DataFrame and returns a new one::

    import healthgap as hg
    hg.proportion(df, "vaccinated", "eligible", by="imd_decile", confidence=[0.95, 0.998])
"""

from healthgap._version import __version__
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
from healthgap.methods.spc import spc
from healthgap.targeting import allocate, equity_audit, potential_to_benefit

__all__ = [
    "QUANTILE_NAMES",
    "InputError",
    "__version__",
    "allocate",
    "compare",
    "dsr",
    "equity_audit",
    "funnel_limits",
    "funnel_significance",
    "inequality",
    "inequality_trend",
    "isr",
    "life_expectancy",
    "mean",
    "potential_to_benefit",
    "proportion",
    "quantiles",
    "rate",
    "recent_trend",
    "sii",
    "spc",
]
