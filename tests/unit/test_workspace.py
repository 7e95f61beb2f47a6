"""Workspaces: healthgap init and reading healthgap.toml (healthgap.workspace)."""

import re
from pathlib import Path

import pytest

from healthgap.errors import InputError
from healthgap.indicators.catalogue import DefinitionError, load_catalogue
from healthgap.warehouse.store import Warehouse
from healthgap.workspace import (
    DISCLOSURE_DEFAULTS,
    Workspace,
    init_workspace,
    load_workspace,
)

DEMO_CATALOGUE = Path(__file__).parents[2] / "src/healthgap/demo/catalogue.toml"

INDICATOR = """
[[indicator]]
id = "copd_prevalence"
title = "COPD: recorded prevalence"
method = "proportion"

[indicator.numerator]
concept = "copd"
kind = "condition"
"""


def write_settings(folder, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "healthgap.toml").write_text(text, encoding="utf-8")
    return folder


SETTINGS = """\
[place]
name = "Two towns"
area_codes = ["E06000032", "E06000055"]

[data]
persons = "data/persons.parquet"
events = "/srv/records/events.parquet"
codelist = "codes.csv"

[disclosure]
threshold = 10
"""


def test_init_workspace_creates_settings_and_an_empty_warehouse(tmp_path):
    folder = tmp_path / "luton"
    workspace = init_workspace(folder, place="luton")
    assert (folder / "healthgap.toml").is_file()
    assert (folder / "warehouse.duckdb").is_file()
    assert Warehouse(folder / "warehouse.duckdb").read("indicator_values").empty
    assert workspace.root == folder.resolve()
    assert (workspace.place_name, workspace.area_codes) == ("Luton", ("E06000032",))
    assert workspace.persons == folder.resolve() / "data/persons.parquet"
    assert workspace.events == folder.resolve() / "data/events.parquet"
    assert workspace.codelist is None
    assert workspace.disclosure == DISCLOSURE_DEFAULTS
    assert workspace.indicators == ()
    assert workspace.warehouse_path == folder.resolve() / "warehouse.duckdb"
    assert workspace.catalogue_path == folder.resolve() / "healthgap.toml"


def test_init_workspace_template_documents_itself_and_has_a_commented_example(tmp_path):
    init_workspace(tmp_path)
    text = (tmp_path / "healthgap.toml").read_text(encoding="utf-8")
    assert "docs/indicators.md" in text
    assert "# [[indicator]]" in text
    assert 'name = ""' in text
    # uncommenting the example gives a valid indicator
    (tmp_path / "healthgap.toml").write_text(
        re.sub(r"(?m)^# (\[\[indicator\]\]|\[indicator\.|id|title|unit|method|periods|polarity|"
               r"target|marmot|breakdowns|min_age|concept)", r"\1", text),
        encoding="utf-8",
    )  # fmt: skip
    (indicator,) = load_workspace(tmp_path).indicators
    assert (indicator.id, indicator.population.min_age) == ("flu_65", 65)


def test_init_workspace_with_catalogue_copies_it(tmp_path):
    workspace = init_workspace(
        tmp_path, place="E06000032", catalogue=DEMO_CATALOGUE, synthetic=True
    )
    copy = tmp_path / "indicators.toml"
    assert copy.read_text(encoding="utf-8") == DEMO_CATALOGUE.read_text(encoding="utf-8")
    assert workspace.catalogue_path == copy.resolve()
    assert workspace.indicators == load_catalogue(DEMO_CATALOGUE)
    assert workspace.synthetic is True


def test_init_workspace_refuses_to_overwrite(tmp_path):
    init_workspace(tmp_path, place="Luton")
    before = (tmp_path / "healthgap.toml").read_bytes()
    with pytest.raises(InputError, match="is already a workspace"):
        init_workspace(tmp_path, place="Bristol")
    assert (tmp_path / "healthgap.toml").read_bytes() == before


def test_init_workspace_force_overwrites_settings_and_keeps_the_warehouse(tmp_path):
    init_workspace(tmp_path, place="Luton")
    store = Warehouse(tmp_path / "warehouse.duckdb")
    with store.change("test"):
        pass
    workspace = init_workspace(tmp_path, place="Bristol", force=True)
    assert workspace.place_name == "Bristol, City of"
    assert len(store.builds()) == 1


def test_init_workspace_unknown_place_writes_nothing(tmp_path):
    with pytest.raises(InputError, match="not an English local authority"):
        init_workspace(tmp_path / "w", place="Atlantis")
    assert not (tmp_path / "w").exists()


def test_init_workspace_invalid_catalogue_writes_nothing(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[indicator]]\nid = "x"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.toml, line 1, indicator 'x' key 'title'"):
        init_workspace(tmp_path / "w", catalogue=bad)
    assert not (tmp_path / "w").exists()


def test_init_workspace_disclosure_and_paths_are_written(tmp_path):
    workspace = init_workspace(
        tmp_path,
        persons="in/p.csv",
        events=tmp_path / "elsewhere/e.csv",
        codelist="codes.csv",
        disclosure={"threshold": 10, "secondary": False},
    )
    assert workspace.persons == tmp_path.resolve() / "in/p.csv"
    assert workspace.events == tmp_path / "elsewhere/e.csv"
    assert workspace.codelist == tmp_path.resolve() / "codes.csv"
    assert workspace.disclosure == {**DISCLOSURE_DEFAULTS, "threshold": 10, "secondary": False}


def test_load_workspace_round_trip_equals_init(tmp_path):
    made = init_workspace(tmp_path, place="Luton", catalogue=DEMO_CATALOGUE)
    loaded = load_workspace(tmp_path)
    assert isinstance(loaded, Workspace)
    assert loaded == made


def test_load_workspace_missing_settings_says_run_init(tmp_path):
    message = f"no healthgap.toml in {tmp_path}: run `healthgap init {tmp_path}`"
    with pytest.raises(InputError, match=re.escape(message)):
        load_workspace(tmp_path)


def test_load_workspace_reads_settings_and_inline_indicators(tmp_path):
    write_settings(tmp_path, SETTINGS + INDICATOR)
    workspace = load_workspace(tmp_path)
    assert workspace.place_name == "Two towns"
    assert workspace.area_codes == ("E06000032", "E06000055")
    assert workspace.events == Path("/srv/records/events.parquet")
    assert workspace.codelist == tmp_path.resolve() / "codes.csv"
    assert workspace.disclosure == {"threshold": 10}  # raw: defaults are the reader's job
    assert [i.id for i in workspace.indicators] == ["copd_prevalence"]
    assert workspace.indicator("copd_prevalence").numerator.kind == "condition"


def test_load_workspace_unknown_indicator_suggests(tmp_path):
    write_settings(tmp_path, SETTINGS + INDICATOR)
    with pytest.raises(InputError, match="did you mean 'copd_prevalence'"):
        load_workspace(tmp_path).indicator("copd_prevalance")


def test_load_workspace_definitions_hash_follows_content_not_layout(tmp_path):
    first = load_workspace(write_settings(tmp_path / "a", SETTINGS + INDICATOR))
    separate = write_settings(tmp_path / "b", 'catalogue = "defs/i.toml"\n' + SETTINGS)
    (separate / "defs").mkdir()
    (separate / "defs/i.toml").write_text("# moved\n" + INDICATOR, encoding="utf-8")
    second = load_workspace(separate)
    assert second.catalogue_path == separate.resolve() / "defs/i.toml"
    assert second.definitions_sha256 == first.definitions_sha256
    changed = write_settings(tmp_path / "c", SETTINGS + INDICATOR.replace("copd", "asthma"))
    assert load_workspace(changed).definitions_sha256 != first.definitions_sha256


@pytest.mark.parametrize(
    ("old", "new", "line", "where", "message"),
    [
        ("threshold = 10", "treshold = 10", 11, "key 'disclosure.treshold'",
         "unknown key (did you mean 'threshold'?)"),
        ("threshold = 10", "threshold = -1", 11, "key 'disclosure.threshold'", "at least 0"),
        ("threshold = 10", 'secondary = "yes"', 11, "key 'disclosure.secondary'",
         "must be true or false"),
        ('"E06000055"]', '"Luton"]', 3, "key 'place.area_codes'",
         "'Luton' is not a local authority code"),
        ('"E06000055"]', '"E06999999"]', 3, "key 'place.area_codes'",
         "is not an English local authority"),
        ('persons = "data/persons.parquet"\n', "", 5, "key 'data.persons'",
         "is required but missing"),
        ("[place]", 'catalogue = "missing.toml"\n[place]', 1, "key 'catalogue'",
         "no such file"),
        ("[data]", "[date]", 5, "key 'date'", "unknown key (did you mean 'data'?)"),
    ],
    ids=["disclosure typo", "negative threshold", "boolean", "name as code", "unknown code",
         "persons missing", "missing catalogue", "table typo"],
)  # fmt: skip
def test_load_workspace_error_names_file_line_and_key(tmp_path, old, new, line, where, message):
    assert SETTINGS.count(old) == 1
    write_settings(tmp_path, SETTINGS.replace(old, new))
    with pytest.raises(DefinitionError) as caught:
        load_workspace(tmp_path)
    expected = f"{tmp_path / 'healthgap.toml'}, line {line}, {where}: "
    assert any(str(p).startswith(expected) and message in str(p) for p in caught.value.problems), (
        str(caught.value)
    )


def test_load_workspace_catalogue_and_inline_indicators_together_is_an_error(tmp_path):
    write_settings(tmp_path, 'catalogue = "i.toml"\n' + SETTINGS + INDICATOR)
    (tmp_path / "i.toml").write_text(INDICATOR, encoding="utf-8")
    with pytest.raises(InputError, match="line 1, key 'catalogue': use either"):
        load_workspace(tmp_path)


def test_load_workspace_inline_indicator_error_names_healthgap_toml(tmp_path):
    write_settings(tmp_path, SETTINGS + INDICATOR.replace('"proportion"', '"ratio"'))
    with pytest.raises(InputError, match=r"healthgap\.toml, line 16, indicator 'copd_prevalence'"):
        load_workspace(tmp_path)


def test_load_workspace_catalogue_error_names_the_catalogue_file(tmp_path):
    write_settings(tmp_path, 'catalogue = "i.toml"\n' + SETTINGS)
    (tmp_path / "i.toml").write_text(INDICATOR.replace('"copd"', "1"), encoding="utf-8")
    with pytest.raises(InputError, match=r"i\.toml, line 8, indicator 'copd_prevalence' key "
                       r"'numerator\.concept': must be a string"):  # fmt: skip
        load_workspace(tmp_path)
