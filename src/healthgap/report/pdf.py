"""The report as a PDF: WeasyPrint lays out the HTML on A4 with tagged structure.

The PDF is drawn from exactly the HTML the report writes (:func:`~healthgap.report.
render.render_html`), whose print styles set the A4 page, margins, page numbers and the
contents list's page numbers. It is tagged (headings, lists, tables and figures carry
their structure for screen readers) as PDF/UA-1, the accessible-PDF standard, where the
installed WeasyPrint offers it, and plainly tagged otherwise.

WeasyPrint needs Debian's Pango and HarfBuzz libraries at run time: ``scripts/setup-pdf``
(run by ``make test`` and ``make demo``) installs them.

References
----------
ISO 14289-1:2014. *Document management applications — Electronic document file format
enhancement for accessibility — Part 1: Use of ISO 32000-1 (PDF/UA-1).*
"""

from __future__ import annotations

from typing import Any

from healthgap.errors import InputError

SETUP = (
    "the PDF needs WeasyPrint with Debian's Pango and HarfBuzz: run scripts/setup-pdf "
    "(packages libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0), or write HTML "
    "with --format html"
)


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: a shared library is missing
        raise InputError(f"{SETUP} ({error})") from None
    return weasyprint


def pdf_options(weasyprint: Any) -> dict[str, Any]:
    """Tagging options the installed WeasyPrint understands: PDF/UA-1, else tags."""
    try:
        from weasyprint.pdf import VARIANTS
    except ImportError:  # pragma: no cover - very old WeasyPrint
        VARIANTS = {}
    if "pdf/ua-1" in VARIANTS:
        return {"pdf_variant": "pdf/ua-1"}
    if "pdf_tags" in getattr(weasyprint, "DEFAULT_OPTIONS", {}):
        return {"pdf_tags": True}
    return {}


def render_pdf(html: str) -> bytes:
    """``html`` (a whole document with its own CSS) as PDF bytes."""
    weasyprint = _weasyprint()
    fetcher = getattr(weasyprint, "URLFetcher", None)
    # The report holds everything it shows: refuse any other URL (no network, no files).
    refuse = {"url_fetcher": fetcher(allowed_protocols=["data"])} if fetcher else {}
    document = weasyprint.HTML(string=html, base_url=None, **refuse)
    return bytes(document.write_pdf(**pdf_options(weasyprint)))
