"""The report as one standalone HTML document (Django templates, inline CSS and SVG).

The templates live in ``healthgap/report/templates/report/`` and are rendered with a
template engine of their own (not the web app's), so the report renders the same from
the command line and the web app and never depends on the site's templates or static
files. The document holds everything: styles (screen and A4 print), charts as inline
SVG, no scripts, fonts or images from elsewhere.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.template import Context, Engine

from healthgap.report.charts.status import STATUS_COLOURS
from healthgap.report.gather import Report

TEMPLATES = Path(__file__).parent / "templates"
QUINTILES = ("1 most deprived", "2", "3", "4", "5 least deprived")


@cache
def engine() -> Engine:
    """The report's template engine: its own folder and the site's number filters."""
    return Engine(
        dirs=[str(TEMPLATES)],
        builtins=["healthgap.web.templatetags.healthgap"],
        autoescape=True,
        string_if_invalid="",
    )


def render_html(report: Report) -> str:
    """The whole report as an HTML document."""
    context = {
        "report": report,
        "quintiles": QUINTILES,
        "status_colours": STATUS_COLOURS,
    }
    template = engine().get_template("report/report.html")
    return template.render(Context(context, autoescape=True))
