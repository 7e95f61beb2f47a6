"""Pure statistics: DataFrame in, DataFrame out, no I/O.

Each method lives in its own module; this package re-exports the public functions.
"""

from healthgap.methods.compare import compare, funnel_significance
from healthgap.methods.dsr import dsr
from healthgap.methods.funnel import funnel_limits
from healthgap.methods.inequality import inequality
from healthgap.methods.inequality_trend import inequality_trend
from healthgap.methods.isr import isr
from healthgap.methods.life_expectancy import life_expectancy
from healthgap.methods.mean import mean
from healthgap.methods.proportion import proportion
from healthgap.methods.quantiles import QUANTILE_NAMES, quantiles
from healthgap.methods.rate import rate
from healthgap.methods.sii import sii
from healthgap.methods.trend import recent_trend

__all__ = [
    "QUANTILE_NAMES",
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
