"""Inline SVG charts for the board report: accessible, self-contained, captioned.

Each builder returns a :class:`~healthgap.report.charts._svg.Figure` (SVG text and a
plain-English caption) that the report pastes into its HTML; the PDF is drawn from the
same HTML, so the two never differ.
"""

from healthgap.report.charts._svg import Figure
from healthgap.report.charts.deciles import decile_bars
from healthgap.report.charts.status import STATUS_COLOURS, status_bar
from healthgap.report.charts.trend import sparkline, trend_line

__all__ = ["STATUS_COLOURS", "Figure", "decile_bars", "sparkline", "status_bar", "trend_line"]
