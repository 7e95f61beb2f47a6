"""Reading and validating indicator catalogues (healthgap.indicators.catalogue)."""

import dataclasses
import json
import re
from pathlib import Path

import pytest

from healthgap.errors import InputError
from healthgap.indicators._toml import Locator
from healthgap.indicators.catalogue import (
    INDICATOR_KEYS,
    DefinitionError,
    definitions_sha256,
    load_catalogue,
    parse_catalogue,
)
from healthgap.indicators.definition import METHODS, Indicator, Numerator, Population

DEMO_CATALOGUE = Path(__file__).parents[3] / "src/healthgap/demo/catalogue.toml"

# Line numbers matter: the error tests below name them.
VALID = """\
# A catalogue with comments, blank lines, sub-tables, inline tables and long arrays.

[[indicator]]   # the first one
id = "flu_65"
title = "Flu vaccination uptake, aged 65 and over"
unit = "%"
method = "proportion"
multiplier = 100
periods = "flu_season"
polarity = "higher-is-better"
target = 75
marmot = ["prevention"]
core20plus5 = ["chronic_respiratory_disease"]
breakdowns = [
  "imd_decile",   # 1 = most deprived
  "core20",
  "ethnicity * imd_quintile",
  "lsoa",
]
description = \"\"\"People aged 65+ vaccinated in the season.
method = "not a key: inside a string"
[[indicator]] is not a header here either\"\"\"

[indicator.population]
min_age = 65
flags = ["carer"]

[indicator.numerator]
concept = "flu_vaccination"

[[indicator]]
id="cervical_25_64"
title = 'Cervical screening coverage'
method = "proportion"
population = { min_age = 25, max_age = 64, sex = "F" }
numerator = { concept = "cervical_screening", window_days = 1277 }
breakdowns = []

[[indicator]]
id = "smoking"
title = "Smoking prevalence"
method = "proportion"
polarity = "lower-is-better"
target = 5.5

  [indicator.population]
  min_age = 18
  conditions = ["smoking_status", "asthma"]
  any_condition = true

  [indicator.numerator]
  concept = "smoking_status"
  kind = "condition"
  value_in = ["current"]

[[indicator]]
id = "life_expectancy_65"
title = "Life expectancy at 65"
method = "life_expectancy"
periods = "calendar_year"
breakdowns = ["sex*imd_quintile"]
population.min_age = 65
numerator.concept = "death"
"""

EXPECTED = (
    Indicator(
        id="flu_65",
        title="Flu vaccination uptake, aged 65 and over",
        method="proportion",
        numerator=Numerator(concept="flu_vaccination"),
        population=Population(min_age=65, flags=("carer",)),
        unit="%",
        multiplier=100.0,
        periods="flu_season",
        polarity="higher-is-better",
        target=75.0,
        marmot=("prevention",),
        core20plus5=("chronic_respiratory_disease",),
        breakdowns=("imd_decile", "core20", "ethnicity*imd_quintile", "lsoa"),
        description='People aged 65+ vaccinated in the season.\nmethod = "not a key: inside a '
        'string"\n[[indicator]] is not a header here either',
    ),
    Indicator(
        id="cervical_25_64",
        title="Cervical screening coverage",
        method="proportion",
        numerator=Numerator(concept="cervical_screening", window_days=1277),
        population=Population(min_age=25, max_age=64, sex="F"),
        breakdowns=(),
    ),
    Indicator(
        id="smoking",
        title="Smoking prevalence",
        method="proportion",
        numerator=Numerator(concept="smoking_status", kind="condition", value_in=("current",)),
        population=Population(
            min_age=18, conditions=("smoking_status", "asthma"), any_condition=True
        ),
        polarity="lower-is-better",
        target=5.5,
    ),
    Indicator(
        id="life_expectancy_65",
        title="Life expectancy at 65",
        method="life_expectancy",
        numerator=Numerator(concept="death"),
        population=Population(min_age=65),
        periods="calendar_year",
        breakdowns=("sex*imd_quintile",),
    ),
)


def _toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value)


def _dump(indicators):
    """Write indicators back as TOML, every field explicit (None fields left out)."""
    lines = []
    for indicator in indicators:
        lines.append("[[indicator]]")
        tables = {}
        for name, value in dataclasses.asdict(indicator).items():
            if isinstance(value, dict):
                tables[name] = value
            elif value is not None:
                lines.append(f"{name} = {_toml_value(value)}")
        for name, table in tables.items():
            lines.append(f"[indicator.{name}]")
            lines += [f"{k} = {_toml_value(v)}" for k, v in table.items() if v is not None]
    return "\n".join(lines) + "\n"


def test_parse_catalogue_valid_text_gives_the_definitions():
    assert parse_catalogue(VALID) == EXPECTED


def test_parse_catalogue_round_trip_keeps_every_field():
    text = _dump(EXPECTED)
    assert parse_catalogue(text) == EXPECTED
    assert all(f"\n{key} = " in "\n" + text for key in ("id", "title", "breakdowns"))


def test_parse_catalogue_no_indicators_is_empty():
    assert parse_catalogue("# nothing yet\n") == ()


def test_load_catalogue_reads_the_file_and_names_it_in_errors(tmp_path):
    path = tmp_path / "indicators.toml"
    path.write_text(VALID, encoding="utf-8")
    assert load_catalogue(path) == EXPECTED
    path.write_text(VALID.replace('"flu_season"', '"flu-season"'), encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(f"{path}, line 9, indicator 'flu_65'")):
        load_catalogue(path)


def test_load_catalogue_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no indicator catalogue at"):
        load_catalogue(tmp_path / "nope.toml")


def _problem(text):
    with pytest.raises(DefinitionError) as caught:
        parse_catalogue(text, source="cat.toml")
    assert isinstance(caught.value, InputError)
    return caught.value


# (description, old text, new text, line, where, message fragment)
# fmt: off
CASES = [
    ('method typo', '"proportion"\nmultiplier', '"propotion"\nmultiplier', 7,
     "indicator 'flu_65' key 'method'",
     'must be one of proportion, rate, dsr, isr, life_expectancy, mean; got '
     "'propotion' (did you mean 'proportion'?)"),
    ('unknown key', 'unit = "%"', 'unti = "%"', 6,
     "indicator 'flu_65' key 'unti'", "unknown key (did you mean 'unit'?)"),
    ('missing title', 'title = "Flu vaccination uptake, aged 65 and over"\n', '', 3,
     "indicator 'flu_65' key 'title'", 'is required but missing'),
    ('missing numerator', '[indicator.numerator]\nconcept = "flu_vaccination"\n', '', 3,
     "indicator 'flu_65' key 'numerator'", 'is required but missing'),
    ('bad id', 'id="cervical_25_64"', 'id="Cervical-25"', 32,
     "indicator 'Cervical-25' key 'id'", 'must be a lower-case name'),
    ('id not a string', 'id="cervical_25_64"', 'id=25', 32,
     "indicator #2 key 'id'", 'must be a string; got an integer 25'),
    ('duplicate id', 'id = "smoking"', 'id = "flu_65"', 40,
     "indicator 'flu_65' key 'id'", "'flu_65' is already the id of the indicator on line 3"),
    ('polarity', '"higher-is-better"', '"higher is better"', 10,
     "indicator 'flu_65' key 'polarity'", "(did you mean 'higher-is-better'?)"),
    ('periods', '"flu_season"', '"flu_seasons"', 9,
     "indicator 'flu_65' key 'periods'",
     'must be one of financial_year, calendar_year, flu_season, rolling_12_months'),
    ('multiplier not a number', 'multiplier = 100', 'multiplier = "100"', 8,
     "indicator 'flu_65' key 'multiplier'", "must be a number; got a string '100'"),
    ('multiplier negative', 'multiplier = 100', 'multiplier = -1', 8,
     "indicator 'flu_65' key 'multiplier'", 'must be a positive number'),
    ('target above the scale', 'target = 75', 'target = 175', 11,
     "indicator 'flu_65' key 'target'", "is on the indicator's scale (0–100); got 175"),
    ('target without polarity', 'polarity = "lower-is-better"\n', '', 43,
     "indicator 'smoking' key 'target'", 'needs a polarity'),
    ('marmot item', 'marmot = ["prevention"]', 'marmot = ["prevention", "ealy_years"]', 12,
     "indicator 'flu_65' key 'marmot'", "got 'ealy_years' (did you mean 'early_years'?)"),
    ('marmot not a list', 'marmot = ["prevention"]', 'marmot = "prevention"', 12,
     "indicator 'flu_65' key 'marmot'", 'must be a list of strings, e.g. ["early_years"'),
    ('core20plus5', '["chronic_respiratory_disease"]', '["copd"]', 13,
     "indicator 'flu_65' key 'core20plus5'", 'must be one of maternity'),
    ('breakdown unknown', '"core20",', '"core_20",', 16,
     "indicator 'flu_65' key 'breakdowns'", "unknown breakdown 'core_20' (did you mean 'core20'?)"),
    ('breakdown cross of itself', '"core20",', '"core20*core20",', 16,
     "indicator 'flu_65' key 'breakdowns'", 'two different breakdowns'),
    ('breakdown cross of three', '"core20",', '"core20*sex*ethnicity",', 16,
     "indicator 'flu_65' key 'breakdowns'", 'joins two breakdowns'),
    ('breakdown cross of two areas', '"core20",', '"lsoa*practice",', 16,
     "indicator 'flu_65' key 'breakdowns'", 'at most one area breakdown'),
    ('breakdown repeated', '"core20",', '"imd_quintile*ethnicity",', 17,
     "indicator 'flu_65' key 'breakdowns'", 'repeats an earlier breakdown'),
    ('breakdown item not a string', '"core20",', '20,', 16,
     "indicator 'flu_65' key 'breakdowns'", 'item 2 must be a string'),
    ("breakdown of the population's only sex", 'breakdowns = []', 'breakdowns = ["sex"]', 37,
     "indicator 'cervical_25_64' key 'breakdowns'", "the population is sex 'F' only"),
    ("breakdown of the population's flag", '"lsoa",', '"carer",', 18,
     "indicator 'flu_65' key 'breakdowns'", 'the population is carer only'),
    ('min_age negative', 'min_age = 65\nflags', 'min_age = -1\nflags', 25,
     "indicator 'flu_65' key 'population.min_age'", 'must be between 0 and 120; got -1'),
    ('min_age a string', 'min_age = 65\nflags', 'min_age = "65"\nflags', 25,
     "indicator 'flu_65' key 'population.min_age'", 'must be a whole number; got a string'),
    ('min_age a boolean', 'min_age = 65\nflags', 'min_age = true\nflags', 25,
     "indicator 'flu_65' key 'population.min_age'", 'must be a whole number; got a boolean'),
    ('max_age below min_age', 'max_age = 64', 'max_age = 20', 35,
     "indicator 'cervical_25_64' key 'population.max_age'", 'must be at least min_age (25)'),
    ('sex', 'sex = "F"', 'sex = "female"', 35,
     "indicator 'cervical_25_64' key 'population.sex'", "must be one of F, M; got 'female'"),
    ('flag', 'flags = ["carer"]', 'flags = ["carers"]', 26,
     "indicator 'flu_65' key 'population.flags'", "(did you mean 'carer'?)"),
    ('any_condition without conditions', 'min_age = 65\nflags',
     'any_condition = true\nmin_age = 65\nflags', 25,
     "indicator 'flu_65' key 'population.any_condition'", 'needs a list of conditions'),
    ('any_condition not a boolean', 'any_condition = true', 'any_condition = "yes"', 49,
     "indicator 'smoking' key 'population.any_condition'", 'must be true or false'),
    ('unknown population key', 'min_age = 65\nflags', 'min_ages = 65\nflags', 25,
     "indicator 'flu_65' key 'population.min_ages'", "(did you mean 'min_age'?)"),
    ('numerator kind', 'kind = "condition"', 'kind = "conditions"', 53,
     "indicator 'smoking' key 'numerator.kind'", "(did you mean 'condition'?)"),
    ('numerator concept missing', 'concept = "flu_vaccination"', 'kind = "event"', 28,
     "indicator 'flu_65' key 'numerator.concept'", 'is required but missing'),
    ('numerator concept empty', 'concept = "flu_vaccination"', 'concept = " "', 29,
     "indicator 'flu_65' key 'numerator.concept'", 'must not be empty'),
    ('window_days zero', 'window_days = 1277', 'window_days = 0', 36,
     "indicator 'cervical_25_64' key 'numerator.window_days'", 'must be between 1 and'),
    ('value_in not a list', 'value_in = ["current"]', 'value_in = "current"', 54,
     "indicator 'smoking' key 'numerator.value_in'", 'must be a list of strings'),
    ('numerator not a table', 'numerator = { concept = "cervical_screening", window_days = 1277 }',
     'numerator = "cervical_screening"', 36,
     "indicator 'cervical_25_64' key 'numerator'", 'must be a table; got a string'),
    ('life expectancy of a condition', 'numerator.concept = "death"',
     'numerator.concept = "death"\nnumerator.kind = "condition"', 64,
     "indicator 'life_expectancy_65' key 'numerator.kind'",
     'method \'life_expectancy\' needs kind = "event"; got \'condition\''),
    ('life expectancy with max_age', 'population.min_age = 65',
     'population.min_age = 65\npopulation.max_age = 90', 63,
     "indicator 'life_expectancy_65' key 'population.max_age'", 'must not be set'),
    ('life expectancy at an age that starts no band', 'population.min_age = 65',
     'population.min_age = 66', 62,
     "indicator 'life_expectancy_65' key 'population.min_age'", 'must start a life-table band'),
    ('life expectancy with a multiplier', 'periods = "calendar_year"',
     'periods = "calendar_year"\nmultiplier = 1000', 61,
     "indicator 'life_expectancy_65' key 'multiplier'", 'does not apply'),
    ('life expectancy by age band', '["sex*imd_quintile"]', '["age_band"]', 61,
     "indicator 'life_expectancy_65' key 'breakdowns'", 'computed over all ages'),
    ('dsr of a condition', 'method = "proportion"\npolarity', 'method = "dsr"\npolarity', 53,
     "indicator 'smoking' key 'numerator.kind'", 'method \'dsr\' needs kind = "event"'),
    ('mean of events', 'method = "proportion"\npopulation', 'method = "mean"\npopulation', 36,
     "indicator 'cervical_25_64' key 'numerator.kind'", 'method \'mean\' needs kind = "value"'),
    ('window_days on a rate', 'method = "proportion"\npopulation',
     'method = "rate"\npopulation', 36,
     "indicator 'cervical_25_64' key 'numerator.window_days'",
     'applies only to proportions of events and means'),
]
# fmt: on


@pytest.mark.parametrize(
    ("old", "new", "line", "where", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_parse_catalogue_error_names_file_line_and_key(old, new, line, where, message):
    assert VALID.count(old) == 1, "the case must change exactly one place"
    error = _problem(VALID.replace(old, new))
    expected = f"cat.toml, line {line}, {where}: "
    assert any(str(p).startswith(expected) and message in str(p) for p in error.problems), str(
        error
    )
    problem = next(p for p in error.problems if str(p).startswith(expected))
    assert (problem.source, problem.line) == ("cat.toml", line)


def test_parse_catalogue_reports_every_problem_at_once():
    text = VALID.replace('"proportion"\nmultiplier', '"propotion"\nmultiplier').replace(
        'sex = "F"', 'sex = "W"'
    )
    error = _problem(text)
    assert [p.line for p in error.problems] == [7, 35]
    assert str(error).splitlines()[1].startswith("cat.toml, line 35, indicator 'cervical_25_64'")


def test_parse_catalogue_single_bracket_table_is_explained():
    error = _problem('[indicator]\nid = "a"\n')
    assert str(error) == (
        "cat.toml, line 1, key 'indicator': write each indicator as an [[indicator]] table "
        "(double brackets), not [indicator]"
    )


def test_parse_catalogue_unknown_top_level_key_suggests():
    error = _problem('# hi\n\n[[indicators]]\nid = "a"\n')
    assert str(error).startswith(
        "cat.toml, line 3, key 'indicators': unknown key (did you mean 'indicator'?)"
    )


def test_parse_catalogue_toml_syntax_error_gives_line_and_column():
    error = _problem('[[indicator]]\nid = "a"\ntitle = "unterminated\n')
    assert error.problems[0].line == 3
    assert re.match(r"cat\.toml, line 3: not valid TOML: .* \(column \d+\)$", str(error))


def test_parse_catalogue_indicator_without_id_is_numbered():
    error = _problem(VALID + '\n[[indicator]]\ntitle = "No id"\nmethod = "rate"\n'
                     'numerator = { concept = "death" }\n')  # fmt: skip
    assert str(error) == "cat.toml, line 65, indicator #5 key 'id': is required but missing"


def test_parse_catalogue_error_in_inline_table_points_at_its_line():
    error = _problem(VALID.replace('sex = "F"', 'sex = "X"'))
    assert error.problems[0].line == 35


def test_definitions_sha256_ignores_layout_but_not_content():
    reformatted = parse_catalogue(_dump(EXPECTED))
    assert definitions_sha256(reformatted) == definitions_sha256(EXPECTED)
    changed = parse_catalogue(VALID.replace("target = 75", "target = 80"))
    assert definitions_sha256(changed) != definitions_sha256(EXPECTED)


def test_indicator_keys_are_the_dataclass_fields():
    assert set(INDICATOR_KEYS) == {f.name for f in dataclasses.fields(Indicator)}


def test_locator_follows_nested_arrays_and_multiline_strings():
    text = 'a = [[1, 2],\n  [3]]\nb = """\nx = 1\n"""\n[t]\nc = { d = 1 }\n'
    where = Locator(text)
    assert where.line(("a", 1)) == 2
    assert where.line(("b",)) == 3
    assert where.line(("x",)) is None
    assert where.line(("t", "c", "d")) == 7


# The demo catalogue --------------------------------------------------------------------


def test_demo_catalogue_loads_with_20_plus_indicators_and_every_method_but_mean():
    indicators = load_catalogue(DEMO_CATALOGUE)
    assert 22 <= len(indicators) <= 26
    assert {i.method for i in indicators} == set(METHODS) - {"mean"}
    assert len({i.id for i in indicators}) == len(indicators)


def test_demo_catalogue_uses_only_demo_concepts_and_values():
    from healthgap.demo.events import CONCEPTS, VALUES

    indicators = load_catalogue(DEMO_CATALOGUE)
    for indicator in indicators:
        assert indicator.numerator.concept in CONCEPTS, indicator.id
        assert set(indicator.population.conditions) <= set(CONCEPTS), indicator.id
        assert set(indicator.numerator.value_in) <= set(VALUES), indicator.id


def test_demo_catalogue_has_targets_principles_and_cross_breakdowns():
    indicators = {i.id: i for i in load_catalogue(DEMO_CATALOGUE)}
    assert indicators["flu_65_plus"].target == 75
    assert indicators["smi_health_check"].target == 60
    assert indicators["cervical_screening_25_64"].numerator.window_days == 1277
    assert sum("ethnicity*imd_quintile" in i.breakdowns for i in indicators.values()) >= 3
    assert all(i.marmot for i in indicators.values() if i.method == "proportion")
    assert {p for i in indicators.values() for p in i.periods.split()} >= {
        "financial_year",
        "flu_season",
    }
