"""The demo report's PDF: A4, tagged, numbered pages that are not blank.

These tests need WeasyPrint's libraries and poppler-utils (``scripts/setup-pdf``); when
they are missing the tests fail with that instruction rather than being skipped.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

A4 = (595.28, 841.89)  # points
#: Least share of a page's pixels that are not white (text, tables, charts).
INK = 0.01

# These need the session's demo workspace (about a minute to build).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pdf_file(rendered, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(rendered.pdf)
    return path


def _info(path: Path) -> str:
    return subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9999", str(path)], check=True, capture_output=True,
        text=True,
    ).stdout  # fmt: skip


def _pages(path: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _info(path), re.M).group(1))


def test_the_pdf_is_a4_tagged_and_has_several_pages(pdf_file):
    info = _info(pdf_file)
    pages = _pages(pdf_file)
    assert pages >= 2
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    assert len(sizes) == pages
    for width, height in sizes:
        assert (float(width), float(height)) == pytest.approx(A4, abs=0.5)
    assert re.search(r"^Tagged:\s+yes", info, re.M)
    assert re.search(r"^Title:\s+Luton: health inequalities board report, 2025-26", info, re.M)


def test_every_page_is_numbered_and_flagged_synthetic(pdf_file):
    pages = _pages(pdf_file)
    text = subprocess.run(["pdftotext", "-layout", str(pdf_file), "-"], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    sheets = text.split("\f")[:pages]
    for number, sheet in enumerate(sheets, start=1):
        assert f"Page {number} of {pages}" in sheet
        assert "SYNTHETIC DATA" in sheet


def test_the_contents_list_gives_page_numbers(pdf_file):
    first = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf_file), "-"],
                           check=True, capture_output=True, text=True).stdout  # fmt: skip
    for heading in ("Headline outcomes", "The action plan", "Annex: methods and data quality"):
        assert re.search(rf"{re.escape(heading)}\s*\.+\s*\d+", first), heading


def test_no_page_is_blank(pdf_file, tmp_path):
    from PIL import Image

    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf_file), str(tmp_path / "page")],
                   check=True)  # fmt: skip
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == _pages(pdf_file)
    for image in images:
        pixels = np.asarray(Image.open(image).convert("L"))
        inked = float((pixels < 250).mean())
        assert inked > INK, f"{image.name} is nearly blank ({inked:.2%} inked)"
