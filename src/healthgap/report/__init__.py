"""The board report: one document a Health and Wellbeing Board member reads in ten minutes.

``healthgap report --period 2025-26`` and the web app's "Download board report" button
both call :func:`gather` (the numbers, from the dashboard's disclosure-controlled
snapshot and the web app's plan and community voice), :func:`render_html` (a standalone
HTML document with inline CSS and SVG charts) and, for a PDF, :func:`render_pdf`
(WeasyPrint: A4, page numbers, contents, tagged). See docs/report.md.

Each concept is its own module: :mod:`~healthgap.report.period` (which periods belong to a
financial year), :mod:`~healthgap.report.scope` (the warehouse cut at the year's end),
the sections (:mod:`~healthgap.report.headline`, :mod:`~healthgap.report.group_gaps`,
:mod:`~healthgap.report.targeting`, :mod:`~healthgap.report.plan`,
:mod:`~healthgap.report.trajectory`, :mod:`~healthgap.report.voice`,
:mod:`~healthgap.report.annex`, :mod:`~healthgap.report.summary`), the charts
(:mod:`healthgap.report.charts`) and the output (:mod:`~healthgap.report.render`,
:mod:`~healthgap.report.pdf`, :mod:`~healthgap.report.output`).
"""

from healthgap.report.gather import Report, gather
from healthgap.report.output import default_path, render, write_atomic
from healthgap.report.pdf import render_pdf
from healthgap.report.period import FinancialYear, available, parse_period
from healthgap.report.render import render_html

__all__ = [
    "FinancialYear",
    "Report",
    "available",
    "default_path",
    "gather",
    "parse_period",
    "render",
    "render_html",
    "render_pdf",
    "write_atomic",
]
