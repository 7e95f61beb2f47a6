"""The text of a new ``healthgap.toml``: commented, so that analysts can edit it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path


def render_settings(
    *,
    name: str,
    area_codes: tuple[str, ...],
    persons: str | Path,
    events: str | Path,
    codelist: str | Path | None,
    synthetic: bool,
    disclosure: Mapping[str, int | bool],
    catalogue: str | None,
) -> str:
    """The text of a commented ``healthgap.toml``."""
    codes = ", ".join(_string(c) for c in area_codes)
    codelist_line = (
        f"codelist = {_string(_posix(codelist))}" if codelist else '# codelist = "codelist.csv"'
    )
    rules = "\n".join(
        f"{key} = {_scalar(value)}{_DISCLOSURE_NOTES.get(key, '')}"
        for key, value in disclosure.items()
    )
    catalogue_line = (
        f"catalogue = {_string(catalogue)}" if catalogue else '# catalogue = "indicators.toml"'
    )
    return _TEMPLATE.format(
        name=_string(name),
        codes=codes,
        persons=_string(_posix(persons)),
        events=_string(_posix(events)),
        codelist=codelist_line,
        synthetic=_scalar(synthetic),
        disclosure=rules,
        catalogue=catalogue_line,
        indicators="" if catalogue else _INLINE_EXAMPLE,
    )


def _posix(path: str | Path) -> str:
    return Path(path).as_posix()


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return _string(str(value))


_DISCLOSURE_NOTES = {
    "threshold": "  # counts from 1 to this are suppressed ('*')",
    "rounding": "  # other counts are rounded to the nearest multiple of this",
    "secondary": "  # suppress more cells so a suppressed one cannot be recovered from a total",
    "suppress_zero": "  # suppress zero counts too",
}

_TEMPLATE = """\
# healthgap workspace settings. Every key is described in docs/indicators.md.

# The indicator catalogue: a separate file, or [[indicator]] tables at the end of this file.
{catalogue}

[place]
# The place's name, as shown in reports and the web app.
name = {name}
# Its local authority codes (2025 boundaries, e.g. "E06000032" for Luton).
area_codes = [{codes}]

[data]
# Pseudonymised person-level records (Parquet or CSV), relative to this folder.
persons = {persons}
events = {events}
# Optional: a codelist mapping the events' `code` column to concepts.
{codelist}
# true when the records are synthetic: every output is then marked SYNTHETIC.
synthetic = {synthetic}

[disclosure]
# Disclosure control of everything that leaves the workspace (exports, web, reports).
{disclosure}
{indicators}"""

_INLINE_EXAMPLE = """
# Indicators (or set `catalogue` above instead), for example:
#
# [[indicator]]
# id = "flu_65"
# title = "Flu vaccination uptake, aged 65 and over"
# unit = "%"
# method = "proportion"
# periods = "flu_season"
# polarity = "higher-is-better"
# target = 75
# marmot = ["prevention"]
# breakdowns = ["imd_quintile", "core20", "ethnicity", "sex", "practice"]
#
# [indicator.population]
# min_age = 65
#
# [indicator.numerator]
# concept = "flu_vaccination"
"""
