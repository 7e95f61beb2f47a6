"""The targeting page: ranked communities, Core20PLUS5, segments and the allocation
calculator, each matching a direct call of the library with its disclosure control."""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser

import pytest

from healthgap.disclosure import DisclosureRules
from healthgap.targeting.allocation_places import allocation_for
from healthgap.targeting.communities import communities_for
from healthgap.web.dashboard.targeting import communities as communities_section
from healthgap.workspace import load_workspace

URL = "/targeting/"
#: Column headings of counts of people or events (never 1 to 7 once published).
COUNT_HEADINGS = {
    "Eligible",
    "Reached",
    "Counted",
    "People",
    "Person-years",
    "Events",
    "People not reached (vs benchmark)",
    "Events above the benchmark",
    "People above the benchmark",
}


class _Tables(HTMLParser):
    """Every table of a page: caption, column headings and rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._text: list[str] | None = None
        self._row: list[str] | None = None
        self._head = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self.tables.append({"caption": "", "head": [], "rows": []})
        elif tag == "thead":
            self._head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td", "caption"):
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._head = False
        elif tag == "caption" and self._text is not None:
            self.tables[-1]["caption"] = " ".join("".join(self._text).split())
            self._text = None
        elif tag in ("th", "td") and self._text is not None and self._row is not None:
            self._row.append(" ".join("".join(self._text).split()))
            self._text = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1]["head" if self._head else "rows"].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def tables(page: str) -> list[dict]:
    parser = _Tables()
    parser.feed(page)
    return parser.tables


def find(page: str, caption_start: str) -> dict:
    found = [t for t in tables(page) if t["caption"].startswith(caption_start)]
    assert found, f"no table captioned {caption_start!r}"
    return found[0]


def column(found: dict, heading: str) -> list[str]:
    index = found["head"][0].index(heading)
    return [row[index] for row in found["rows"]]


def amount(text: str) -> float:
    return float(text.replace(",", ""))


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """A fast password hash: each test logs a new user in, and the page is what is tested."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def workspace(web_workspace):
    return load_workspace(web_workspace)


@pytest.fixture
def analyst(client_as):
    return client_as("analyst")


@pytest.mark.parametrize(
    ("role", "status"), [("viewer", 403), ("editor", 403), ("analyst", 200), ("admin", 200)]
)
def test_only_analysts_and_admins_may_open_it(client_as, role, status):
    assert client_as(role).get(URL).status_code == status


def test_analyst_sees_the_four_sections(analyst):
    response = analyst.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    headings = re.findall(r"<h2 id=\"[a-z0-9-]+-title\">([^<]+)</h2>", page)
    assert headings == ["Ranked communities", "Core20PLUS5", "Segments", "Allocation calculator"]
    assert "SYNTHETIC DATA" in page
    assert "could not be" not in page


def test_top_community_is_the_librarys_rank_one(analyst, workspace):
    page = analyst.get(URL).content.decode()
    expected = communities_for(workspace, "flu_65_plus", by="lsoa", benchmark="best_quintile")
    ranked = find(page, "Top 20 of")
    assert len(ranked["rows"]) == 20
    assert column(ranked, "Rank")[:3] == ["1", "2", "3"]
    assert column(ranked, "Area code")[:20] == expected["area_code"].head(20).tolist()
    # The shortfall shown is the shrunk one, rounded to 5 as the published CSV rounds it.
    shortfall = expected["not_reached_shrunk"].iloc[0]
    shown = column(ranked, "People not reached (vs benchmark)")[0]
    assert amount(shown) == 5 * int(shortfall / 5 + 0.5)
    assert expected.attrs["benchmark_label"] in page
    assert 'id="shortfall-spec"' in page  # the bar chart, with the table as its text alternative


def test_ranking_choices_are_read_from_the_query(analyst, workspace):
    query = {"indicator": "emergency_admissions_rate", "by": "msoa", "benchmark": "pooled"}
    page = analyst.get(URL, query).content.decode()
    expected = communities_for(workspace, "emergency_admissions_rate", by="msoa",
                               benchmark="pooled")  # fmt: skip
    ranked = find(page, "Top 20 of")
    assert column(ranked, "Area code")[0] == expected["area_code"].iloc[0]
    assert "Events above the benchmark" in ranked["head"][0]
    assert "Significantly above the benchmark" in ranked["head"][0]
    # The other form carries these choices, so sharing a budget keeps the ranking.
    assert '<input type="hidden" name="by" value="msoa">' in page


def test_core20plus5_populations_and_rates(analyst, workspace):
    from healthgap.targeting.core20plus5 import core20plus5

    page = analyst.get(URL).content.decode()
    result = core20plus5(workspace)
    rules = DisclosureRules.from_mapping(workspace.disclosure)
    population = result.protected_population(rules).set_index("group")
    shown = find(page, "Core20 and PLUS populations")
    people = dict(zip(column(shown, "Group"), column(shown, "People"), strict=True))
    assert amount(people["Core20"]) == population.loc["Core20", "count"]
    assert amount(people["All"]) == population.loc["All", "count"]
    smi = find(page, "SMI annual physical health check")
    assert smi["head"][0] == ["Group", "Eligible", "Counted", "Rate % (95% CI)", "Compared with",
                              "Comparator rate %", "Gap, percentage points (95% CI)",
                              "Ambition met"]  # fmt: skip
    assert "(ambition 60%)" in smi["caption"]
    assert set(column(smi, "Ambition met")) <= {"Yes", "No", "*"}
    assert "Not supported by the data" in page
    assert "Maternity" in page  # never supported: no pregnancy or birth records


def test_segment_sizes_add_up_to_everyone(analyst, workspace):
    from healthgap.targeting.segments import segments

    page = analyst.get(URL).content.decode()
    shown = find(page, "Bridges to Health segment sizes")
    sizes = dict(zip(column(shown, "Segment"), column(shown, "People"), strict=True))
    everyone = segments(workspace, rules="bridges").population
    assert amount(sizes["Everyone"]) == 5 * int(everyone / 5 + 0.5)
    assert len(sizes) == 9  # eight segments and everyone
    assert 'id="segment-sizes-spec"' in page


def test_allocation_adds_up_to_the_budget(analyst, workspace):
    page = analyst.get(URL, {"budget": "£2,500,000", "level": "msoa", "floor": "0.25"})
    assert page.status_code == 200
    shown = find(page.content.decode(), "Allocation of £2,500,000")
    allocations = [amount(v) for v in column(shown, "Allocation (£)")]
    assert sum(allocations) == 2_500_000
    expected = allocation_for(workspace, 2_500_000, level="msoa", floor=0.25)
    assert column(shown, "Area code") == expected.areas["area_code"].tolist()
    assert allocations == expected.areas["allocation"].astype(float).tolist()


def test_default_allocation_is_a_million_over_lsoas(analyst):
    page = analyst.get(URL).content.decode()
    shown = find(page, "Allocation of £1,000,000 across")
    assert sum(amount(v) for v in column(shown, "Allocation (£)")) == 1_000_000
    assert "Proportionate universalism" in page
    per_head = find(page, "Pounds per head under each way of sharing")
    proportionate = [amount(v) for v in column(per_head, "Proportionate (£ per head)")]
    # Need by IMD: the most deprived decile gets the most per head, the least the least.
    assert proportionate[0] == max(proportionate) and proportionate[-1] == min(proportionate)


def test_allocation_with_two_measures_of_need(analyst, workspace):
    query = {"need": "imd", "need2": "emergency_admissions_rate", "weight": "0.7",
             "level": "msoa", "combine": "rank"}  # fmt: skip
    page = analyst.get(URL, query).content.decode()
    expected = allocation_for(workspace, 1_000_000, level="msoa", combine="rank",
                              need="imd:0.7,emergency_admissions_rate:0.3")  # fmt: skip
    shown = find(page, "Allocation of £1,000,000")
    assert column(shown, "Area code") == expected.areas["area_code"].tolist()


def test_practice_populations_are_protected(analyst):
    page = analyst.get(URL, {"level": "practice"}).content.decode()
    shown = find(page, "Allocation of £1,000,000 across")
    assert sum(amount(v) for v in column(shown, "Allocation (£)")) == 1_000_000
    people = [v for v in column(shown, "People") if v != "*"]
    assert people and all(amount(v) % 5 == 0 for v in people)  # counted from persons: rounded


@pytest.mark.parametrize(
    "query",
    [{}, {"by": "practice", "indicator": "smoking_prevalence_18_plus"}, {"level": "practice"}],
)
def test_no_count_of_one_to_seven_in_any_table(analyst, query):
    page = analyst.get(URL, query).content.decode()
    checked = 0
    for found in tables(page):
        for index, heading in enumerate(found["head"][0]):
            if heading not in COUNT_HEADINGS:
                continue
            for row in found["rows"]:
                cell = row[index]
                if cell in ("*", "–"):
                    continue
                checked += 1
                assert not 1 <= amount(cell) <= 7, (found["caption"], heading, cell)
    assert checked > 100


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"indicator": "no_such_thing"}, "Choose an indicator from the list"),
        ({"indicator": "life_expectancy_birth"}, "Choose an indicator from the list"),
        ({"by": "ward"}, "Choose a kind of community from the list"),
        ({"benchmark": "median"}, "Choose a benchmark from the list"),
        ({"budget": "lots"}, "Enter the budget as a whole number of pounds"),
        ({"budget": "12.50"}, "Enter the budget as a whole number of pounds"),
        ({"level": "ward"}, "Choose the areas from the list"),
        ({"need": "nope"}, "Choose a measure of need from the list"),
        ({"need2": "imd"}, "Choose a second measure different from the first"),
        ({"floor": "2"}, "The universal share must be a number from 0 to 1"),
        ({"steepness": "-1"}, "The steepness must be a number from 0 to 10"),
        ({"weight": "half"}, "The first measure&#x27;s weight must be a number from 0 to 1"),
        ({"combine": "sum"}, "Choose a way to combine need from the list"),
    ],
)
def test_bad_parameters_are_400_with_the_form_and_a_message(analyst, query, message):
    response = analyst.get(URL, query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert page.count(message) == 2  # in the summary and beside the field
    (name,) = query
    assert f'href="#id_{name}"' in page and 'aria-invalid="true"' in page
    assert '<form class="filters" method="get"' in page


def test_a_bad_parameter_leaves_the_other_sections_working(analyst):
    page = analyst.get(URL, {"budget": "lots"}).content.decode()
    assert "Correct the choices above to share the budget" in page
    assert find(page, "Top 20 of")["rows"]
    assert 'value="lots"' in page  # what was typed stays, to be corrected


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"indicator": "flu_at_risk_under_65", "by": "lsoa"}, "has no breakdown &#x27;lsoa&#x27;"),
        ({"indicator": "covid_booster_75_plus", "benchmark": "target"}, "has no target"),
    ],
)
def test_library_errors_are_shown_in_the_section(analyst, query, reason):
    response = analyst.get(URL, query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The communities could not be ranked:" in page and reason in page
    assert find(page, "Allocation of £1,000,000")["rows"]


def test_results_are_kept_between_requests(analyst, monkeypatch):
    calls = []

    def counted(*args, **kwargs):
        calls.append(args)
        return communities_for(*args, **kwargs)

    monkeypatch.setattr(communities_section, "communities_for", counted)
    query = {"indicator": "cervical_screening_25_64", "by": "practice", "benchmark": "pooled"}
    first = analyst.get(URL, query).content.decode()
    second = analyst.get(URL, query).content.decode()
    assert len(calls) == 1
    assert find(first, "Top 20 of")["rows"] == find(second, "Top 20 of")["rows"]


def test_every_control_has_a_label_and_every_table_a_caption(analyst):
    page = analyst.get(URL).content.decode()
    controls = re.findall(r"<(?:select|input type=\"text\")[^>]* id=\"([^\"]+)\"", page)
    assert len(controls) == 11
    for control in controls:
        assert f'<label for="{control}">' in page
    found = tables(page)
    assert len(found) == page.count("<table") and all(t["caption"] for t in found)
    assert '<th scope="row">' in page
    regions = re.findall(r'role="region" aria-label="([^"]+)"', page)
    assert len(regions) == len(set(regions)) == len(found)  # each scrolling table named apart
    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", page)]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels))
