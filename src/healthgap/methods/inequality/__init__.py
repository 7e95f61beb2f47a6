"""WHO HEAT summary measures of inequality between population subgroups."""

from healthgap.methods.inequality.api import inequality

__all__ = ["inequality"]
