"""A workspace: a folder with ``healthgap.toml`` (the place, its data, disclosure settings
and indicator catalogue) and the warehouse file.

``healthgap init DIR`` makes one with :func:`init_workspace`; every workspace command
reads it with :func:`load_workspace`. The file format is described in
``docs/indicators.md``.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from healthgap._workspace_template import render_settings
from healthgap.errors import InputError
from healthgap.indicators._checks import Checker, Section
from healthgap.indicators._toml import Locator, parse_toml, suggest
from healthgap.indicators.catalogue import (
    definitions_sha256,
    load_catalogue,
    read_indicators,
)
from healthgap.indicators.definition import Indicator
from healthgap.reference.places import find_place
from healthgap.warehouse.store import FILENAME as WAREHOUSE_FILENAME
from healthgap.warehouse.store import Warehouse

#: The settings file of a workspace.
SETTINGS = "healthgap.toml"
#: Where ``init_workspace(catalogue=...)`` copies a catalogue.
CATALOGUE = "indicators.toml"

#: Keys of each table of healthgap.toml ("" = the top level).
WORKSPACE_KEYS: dict[str, tuple[str, ...]] = {
    "": ("place", "data", "disclosure", "catalogue", "indicator"),
    "place": ("name", "area_codes"),
    "data": ("persons", "events", "codelist", "synthetic"),
    "disclosure": ("threshold", "rounding", "secondary", "suppress_zero"),
}
#: Disclosure control written by ``init`` (NHS Digital's HES rule; OpenSAFELY).
DISCLOSURE_DEFAULTS: dict[str, int | bool] = {
    "threshold": 7,
    "rounding": 5,
    "secondary": True,
    "suppress_zero": False,
}
_AREA_CODE = re.compile(r"E0[6-9]\d{6}")


@dataclass(frozen=True)
class Workspace:
    """A loaded workspace: its settings, with paths resolved against ``root``."""

    root: Path
    place_name: str
    area_codes: tuple[str, ...]
    persons: Path
    events: Path
    codelist: Path | None
    synthetic: bool
    disclosure: Mapping[str, Any]  # raw [disclosure] table, for DisclosureRules.from_mapping
    indicators: tuple[Indicator, ...]
    catalogue_path: Path  # the file the indicators were read from
    definitions_sha256: str

    @property
    def settings_path(self) -> Path:
        return self.root / SETTINGS

    @property
    def warehouse_path(self) -> Path:
        return self.root / WAREHOUSE_FILENAME

    def warehouse(self) -> Warehouse:
        return Warehouse(self.warehouse_path)

    def indicator(self, identifier: str) -> Indicator:
        """The indicator with id ``identifier`` (InputError with a suggestion if none)."""
        ids = [i.id for i in self.indicators]
        for indicator in self.indicators:
            if indicator.id == identifier:
                return indicator
        raise InputError(
            f"no indicator {identifier!r} in {self.catalogue_path}{suggest(identifier, ids)}"
        )


def load_workspace(directory: str | Path = ".") -> Workspace:
    """Read and validate the workspace in ``directory``.

    Raises
    ------
    InputError
        No ``healthgap.toml`` in the folder, or invalid settings or definitions (each
        problem named with the file, line and key).
    """
    folder = Path(directory)
    settings = folder / SETTINGS
    if not settings.is_file():
        raise InputError(f"no {SETTINGS} in {folder}: run `healthgap init {folder}`")
    text = settings.read_text(encoding="utf-8")
    document = parse_toml(text, str(settings))
    checker = Checker(str(settings), Locator(text))
    top = Section(checker, document, ())
    top.check_keys(WORKSPACE_KEYS[""])
    place, data, disclosure = (_section(top, name) for name in ("place", "data", "disclosure"))
    root = folder.resolve()
    place_name = place.string("name", "")
    area_codes = _area_codes(place)
    persons, events, codelist = (
        data.string(key, None, empty=False) for key in ("persons", "events", "codelist")
    )
    synthetic = data.boolean("synthetic")
    _check_disclosure(disclosure)
    indicators = read_indicators(document, checker)
    catalogue_path = _catalogue(top, root, "indicator" in document)
    checker.raise_if_any()
    if catalogue_path is None:
        catalogue_path = settings.resolve()
    else:
        indicators = load_catalogue(catalogue_path)
    return Workspace(
        root=root,
        place_name=place_name,
        area_codes=area_codes,
        persons=_resolve(root, persons),
        events=_resolve(root, events),
        codelist=_resolve(root, codelist) if codelist else None,
        synthetic=synthetic,
        disclosure=dict(disclosure.data),
        indicators=indicators,
        catalogue_path=catalogue_path,
        definitions_sha256=definitions_sha256(indicators),
    )


def init_workspace(
    directory: str | Path,
    *,
    place: str | None = None,
    persons: str | Path = "data/persons.parquet",
    events: str | Path = "data/events.parquet",
    codelist: str | Path | None = None,
    catalogue: str | Path | None = None,
    disclosure: Mapping[str, int | bool] | None = None,
    synthetic: bool = False,
    force: bool = False,
) -> Workspace:
    """Create a workspace in ``directory``: ``healthgap.toml`` and an empty warehouse.

    Parameters
    ----------
    directory
        The workspace folder (created if needed).
    place
        An English local authority name or code (e.g. ``"Luton"``); None leaves the
        place for the analyst to fill in.
    persons, events, codelist
        The person-level files, relative to the workspace (or absolute).
    catalogue
        A catalogue file to copy into the workspace as ``indicators.toml``; None writes
        commented-out examples of ``[[indicator]]`` tables instead.
    disclosure
        Values replacing :data:`DISCLOSURE_DEFAULTS`.
    synthetic
        The data are synthetic: every output is marked SYNTHETIC.
    force
        Overwrite an existing ``healthgap.toml`` (an existing warehouse is kept).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> workspace = init_workspace(folder, place="Luton")
    >>> workspace.place_name, workspace.area_codes, workspace.indicators
    ('Luton', ('E06000032',), ())
    >>> workspace.warehouse_path.exists()
    True
    """
    folder = Path(directory)
    settings = folder / SETTINGS
    if settings.exists() and not force:
        raise InputError(
            f"{folder} is already a workspace ({settings} exists): "
            "use another folder, or force=True (--force) to overwrite its settings"
        )
    found = find_place(place) if place is not None else None
    rules = {**DISCLOSURE_DEFAULTS, **(disclosure or {})}
    source = Path(catalogue) if catalogue is not None else None
    catalogue_text = None
    if source is not None:
        load_catalogue(source)  # refuse an invalid catalogue before writing anything
        catalogue_text = source.read_text(encoding="utf-8")
    text = render_settings(
        name=found.name if found else "",
        area_codes=(found.code,) if found else (),
        persons=persons,
        events=events,
        codelist=codelist,
        synthetic=synthetic,
        disclosure=rules,
        catalogue=CATALOGUE if catalogue_text is not None else None,
    )
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / CATALOGUE
    if source is not None and catalogue_text is not None and source.resolve() != copy.resolve():
        _write_text(copy, catalogue_text)
    _write_text(settings, text)
    Warehouse.create(folder / WAREHOUSE_FILENAME)
    return load_workspace(folder)


def _section(top: Section, name: str) -> Section:
    table = top.table(name)
    section = Section(top.checker, table or {}, (name,), prefix=f"{name}.")
    section.check_keys(
        WORKSPACE_KEYS[name], required=("persons", "events") if name == "data" else ()
    )
    return section


def _catalogue(top: Section, root: Path, inline: bool) -> Path | None:
    """The separate catalogue file named by the ``catalogue`` key, if any."""
    name = top.string("catalogue", None, empty=False)
    if name is None:
        return None
    if inline:
        top.report("catalogue", 'use either catalogue = "…" or [[indicator]] tables here, not both')
    path = _resolve(root, name)
    if not path.is_file():
        top.report("catalogue", f"no such file: {path}")
    return path


def _area_codes(place: Section) -> tuple[str, ...]:
    codes = place.strings("area_codes")
    good: list[str] = []
    raw = place.value("area_codes")
    for code in codes:
        position = raw.index(code) if isinstance(raw, list) else None
        if not _AREA_CODE.fullmatch(code.strip().upper()):
            message = f"{code!r} is not a local authority code such as 'E06000032'"
            place.report("area_codes", message, element=position)
            continue
        try:
            good.append(find_place(code.strip()).code)
        except InputError as error:
            place.report("area_codes", str(error), element=position)
    return tuple(dict.fromkeys(good))


def _check_disclosure(section: Section) -> None:
    section.integer("threshold", minimum=0)
    section.integer("rounding", minimum=1)
    section.boolean("secondary")
    section.boolean("suppress_zero")


def _resolve(root: Path, path: str) -> Path:
    return root / Path(path).expanduser()


def _write_text(path: Path, text: str) -> None:
    """Write atomically (a temporary file, then a rename), with the usual permissions."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        with temporary.open("x", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
