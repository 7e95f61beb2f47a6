"""Export and import of the plan: columns, round trips, malformed files, all or nothing."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from healthgap.errors import InputError
from healthgap.web.accounts.actions import create_user
from healthgap.web.audit.models import AuditEvent
from healthgap.web.plan.actions import add_update, create_action, update_action
from healthgap.web.plan.models import Action
from healthgap.web.plan.transfer import COLUMNS, PlanImportError, export_plan, import_plan

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
HEADER = ",".join(COLUMNS)


@pytest.fixture
def plan(admin, partners, places):
    first = create_action(
        {"title": "Safe and well visits", "description": "Smoke alarms, falls and cold homes.",
         "lead": "Fire and Rescue", "partners": ["Food Network", "Hospital Trust"],
         "priorities": ["prevention", "places"], "groups": ["older_people", "disabled"],
         "localities": ["E02000001", "E02000002"], "indicator_ids": ["flu_65_plus"],
         "baseline": 71.5, "target_value": 75, "target_date": "2026-03-31",
         "start_date": "2025-04-01", "due_date": "2026-03-31", "status": "on_track"},
        by=admin,
    )  # fmt: skip
    add_update(first.pk, by=admin, narrative="First visits done", status="at_risk",
               on="2025-06-01")  # fmt: skip
    second = create_action({"title": "Food pantry", "lead": "Food Network"}, by=admin)
    return Action.objects.get(pk=first.pk), second


def _csv(plan_rows: list[list[str]], header: str = HEADER) -> io.BytesIO:
    text = header + "\r\n" + "".join(",".join(row) + "\r\n" for row in plan_rows)
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = "plan.csv"
    return upload


def _exported(fmt: str = "csv") -> io.BytesIO:
    out = io.BytesIO()
    export_plan(out, fmt)
    out.seek(0)
    out.name = f"plan.{fmt}"
    return out


def _read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


# --- export ----------------------------------------------------------------------------------


def test_csv_export_has_the_documented_columns_and_values(plan):
    first, _ = plan
    rows = _read_csv(_exported().getvalue())
    assert list(rows[0]) == list(COLUMNS)
    row = rows[0]
    assert row["id"] == str(first.pk) and row["version"] == "2"  # the update bumped it
    assert row["lead"] == "Fire and Rescue"
    assert row["partners"] == "Food Network; Hospital Trust"
    assert row["priorities"] == "places; prevention"  # in the priorities' own order
    assert set(row["groups"].split("; ")) == {"older_people", "disabled"}
    assert row["localities"] == "E02000001; E02000002"
    assert row["indicator_ids"] == "flu_65_plus"
    assert (row["baseline"], row["target_value"]) == ("71.5", "75")
    assert (row["start_date"], row["due_date"]) == ("2025-04-01", "2026-03-31")
    assert row["status"] == "at_risk"
    assert row["latest_update"] == "2025-06-01 (At risk): First visits done"
    assert rows[1]["title"] == "Food pantry" and rows[1]["partners"] == ""


def test_csv_export_starts_with_a_byte_order_mark_for_excel(plan):
    assert _exported().getvalue().startswith(b"\xef\xbb\xbf")


def test_export_to_a_path_picks_the_format_from_the_suffix(plan, tmp_path):
    assert export_plan(tmp_path / "plan.xlsx") == 2
    sheet = load_workbook(tmp_path / "plan.xlsx").worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS) and len(rows) == 3
    assert rows[1][COLUMNS.index("due_date")].date() == date(2026, 3, 31)
    export_plan(tmp_path / "plan.csv")
    assert _read_csv((tmp_path / "plan.csv").read_bytes())[0]["title"] == "Safe and well visits"


def test_text_that_looks_like_a_formula_is_exported_as_text(admin, partners):
    create_action({"title": '=HYPERLINK("x")', "lead": "Food Network"}, by=admin)
    assert _read_csv(_exported().getvalue())[0]["title"] == '\'=HYPERLINK("x")'
    out = io.BytesIO()
    export_plan(out, "xlsx")
    out.seek(0)
    cell = load_workbook(out).worksheets[0]["B2"]
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"


def test_unknown_format_is_refused(plan):
    with pytest.raises(InputError, match="unknown format"):
        export_plan(io.BytesIO(), "ods")


# --- round trips ----------------------------------------------------------------------------


def _fields(action: Action) -> tuple:
    return (
        action.title, action.description, action.lead.name,
        sorted(o.name for o in action.partners.all()),
        sorted(p.key for p in action.priorities.all()),
        sorted(g.key for g in action.groups.all()),
        sorted(p.code for p in action.localities.all()),
        action.indicator_ids, action.baseline, action.target_value, action.target_date,
        action.start_date, action.due_date, action.status,
    )  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_plan_reproduces_the_actions(plan, admin, fmt):
    before = sorted(_fields(a) for a in Action.objects.all())
    exported = _exported(fmt)
    Action.objects.all().delete()
    result = import_plan(exported, by=admin, indicators=["flu_65_plus"])
    assert len(result.created) == 2 and not result.updated and not result.conflicts
    assert sorted(_fields(a) for a in Action.objects.all()) == before
    assert all("added as a new action" in note.message for note in result.notes)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_importing_an_unedited_export_changes_nothing(plan, admin, fmt):
    versions = dict(Action.objects.values_list("pk", "version"))
    events = AuditEvent.objects.count()
    result = import_plan(_exported(fmt), by=admin)
    assert len(result.unchanged) == 2 and not result.created and not result.updated
    assert dict(Action.objects.values_list("pk", "version")) == versions
    assert AuditEvent.objects.count() == events


def test_an_edited_row_updates_only_what_changed(plan, admin):
    first, _ = plan
    rows = _read_csv(_exported().getvalue())
    rows[0]["title"] = "Safe and well home visits"
    rows[0]["groups"] = "older_people"
    result = import_plan(_rewrite(rows), by=admin)
    assert [a.pk for a in result.updated] == [first.pk] and len(result.unchanged) == 1
    first.refresh_from_db()
    assert first.title == "Safe and well home visits" and first.version == 3
    assert list(first.groups.values_list("key", flat=True)) == ["older_people"]
    event = AuditEvent.objects.filter(verb="action.update").get()
    assert set(event.details["changes"]) == {"title", "groups"}


def test_a_row_without_id_adds_an_action(plan, admin):
    upload = _csv([["", "Job club", "", "Food Network", "", "work", "men", "", "", "", "", "",
                    "2025-05-01", "2025-12-31", "not started", "", ""]])  # fmt: skip
    result = import_plan(upload, by=admin)
    (added,) = result.created
    assert added.title == "Job club" and added.due_date == date(2025, 12, 31)
    assert added.status == "not_started" and not result.notes


def test_a_conflicting_row_is_reported_and_not_applied(plan, admin):
    first, second = plan
    rows = _read_csv(_exported().getvalue())
    update_action(first.pk, {"title": "Changed meanwhile"}, version=first.version, by=admin)
    rows[0]["title"] = "My edit"
    rows[1]["title"] = "Food pantry and cooking"
    result = import_plan(_rewrite(rows), by=admin)
    (conflict,) = result.conflicts
    assert (conflict.row, conflict.column) == (2, "version")
    assert "changed since you read it" in conflict.message
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.title == "Changed meanwhile" and second.title == "Food pantry and cooking"
    assert "1 not applied" in result.summary()


def _rewrite(rows: list[dict[str, str]], name: str = "plan.csv") -> io.BytesIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    upload = io.BytesIO(out.getvalue().encode("utf-8"))
    upload.name = name
    return upload


# --- malformed files: each with the file, row and column --------------------------------------


def _problems(upload, by) -> list:
    with pytest.raises(PlanImportError) as caught:
        import_plan(upload, by=by)
    assert isinstance(caught.value, InputError)
    return caught.value.problems


def test_wrong_encoding_names_the_line(admin):
    upload = io.BytesIO(f"{HEADER}\n,Café club,,Food Network\n".encode("latin-1"))
    upload.name = "plan.csv"
    (problem,) = _problems(upload, admin)
    assert problem.file == "plan.csv"
    assert "line 2: not UTF-8 text (byte 0xe9" in problem.message
    assert "CSV UTF-8" in str(problem)


def test_empty_file(admin):
    upload = io.BytesIO(b"")
    upload.name = "plan.csv"
    (problem,) = _problems(upload, admin)
    assert "plan.csv: the file is empty: expected a header row with id, title" in str(problem)


def test_missing_required_columns(admin):
    (lead, version) = _problems(_csv([["1", "Walks"]], header="id,title"), admin)
    assert (lead.row, lead.column) == (1, "lead") and "required" in lead.message
    assert version.column == "version" and "needed with the id column" in version.message


def test_unknown_and_repeated_columns(admin):
    upload = _csv([["Walks", "Food Network", "x", "y"]], header="title,lead,owner,title")
    owner, twice = _problems(upload, admin)
    assert (owner.row, owner.column, owner.letter) == (1, "owner", "C")
    assert "unknown column; expected some of id, title" in owner.message
    assert str(owner).startswith("plan.csv, row 1, column 'owner' (C): unknown column")
    assert (twice.column, twice.letter, twice.message) == ("title", "D", "appears twice")


def test_broken_quotes_name_the_row(admin, partners):
    upload = io.BytesIO(b'title,lead\nWalks,Food Network\n"Runs,Food Network\nSwims,x\n')
    upload.name = "plan.csv"
    (problem,) = _problems(upload, admin)
    assert problem.row == 3 and "broken quoting" in problem.message
    stray = io.BytesIO(b'title,lead\n"Walks"x,Food Network\n')
    stray.name = "plan.csv"
    assert _problems(stray, admin)[0].row == 2


def test_rows_with_too_many_or_too_few_values(admin, partners):
    upload = _csv([["Walks", "Food Network", "extra"], ["Runs"]], header="title,lead")
    many, few = _problems(upload, admin)
    assert (many.row, few.row) == (2, 3)
    assert "has 3 values but the header has 2 columns" in many.message
    assert "missing comma or an unclosed quote" in few.message


def test_semicolon_separated_file_is_explained(admin):
    upload = _csv([["Walks;Food Network"]], header="title;lead")
    assert "separated by ';'" in _problems(upload, admin)[0].message


def test_an_excel_file_that_is_not_one(admin):
    upload = io.BytesIO(b"title,lead\n")
    upload.name = "plan.xlsx"
    assert "not an Excel workbook" in _problems(upload, admin)[0].message


def test_every_invalid_value_is_reported_and_nothing_is_saved(plan, admin):
    count = Action.objects.count()
    upload = _csv(
        [["Good row", "Food Network", "2026-01-31"],
         ["Bad lead", "Nobody Ltd", "2026-01-31"],
         ["Bad date", "Food Network", "31/01/2026"],
         ["", "Food Network", ""]],
        header="title,lead,due_date",
    )  # fmt: skip
    problems = _problems(upload, admin)
    located = {(p.row, p.column) for p in problems}
    assert located == {(3, "lead"), (4, "due_date"), (5, "title")}
    by_column = {p.column: p for p in problems}
    assert by_column["lead"].message == "no organisation 'Nobody Ltd'"
    assert "expected a date as YYYY-MM-DD, got '31/01/2026'" in by_column["due_date"].message
    assert by_column["due_date"].letter == "C"
    assert by_column["title"].message.startswith("is required")
    assert Action.objects.count() == count  # the good row was not saved either


def test_bad_ids_and_versions(plan, admin):
    first, _ = plan
    upload = _csv(
        [["x", "Walks", "Food Network", "1"],
         [str(first.pk), "Walks", "Food Network", ""],
         [str(first.pk), "Runs", "Food Network", "2"]],
        header="id,title,lead,version",
    )  # fmt: skip
    problems = _problems(upload, admin)
    assert [(p.row, p.column) for p in problems] == [(2, "id"), (3, "version"), (4, "id")]
    assert "expected the action's id (a whole number), or empty" in problems[0].message
    assert problems[2].message == f"action {first.pk} is also in row 3"


def test_an_editor_cannot_import_another_partners_action(plan, partners):
    editor = create_user("ed", PASSWORD, role="editor", organisation="Food Network")
    upload = _csv([["Mine", "Food Network"], ["Theirs", "Fire and Rescue"]], header="title,lead")
    (problem,) = _problems(upload, editor)
    assert (problem.row, problem.column) == (3, "lead")
    assert "may not edit actions led by Fire and Rescue" in problem.message
    assert not Action.objects.filter(title="Mine").exists()


def test_the_error_message_lists_every_problem(admin, partners):
    upload = _csv([["A", "Nobody"], ["B", "Nobody else"]], header="title,lead")
    with pytest.raises(InputError) as caught:
        import_plan(upload, by=admin)
    message = str(caught.value)
    assert message.startswith("plan.csv: 2 problems, nothing was imported:")
    assert "plan.csv, row 2, column 'lead' (B): no organisation 'Nobody'" in message
    assert "plan.csv, row 3, column 'lead' (B): no organisation 'Nobody else'" in message
    assert caught.value.rows == [2, 3] and caught.value.column == "lead"


def test_blank_rows_are_skipped_and_an_upload_without_a_name_works(admin, partners):
    upload = io.BytesIO(b"title,lead\n\nWalks,Food Network\n,\n")
    result = import_plan(upload, by=admin)
    assert result.file == "upload" and [a.title for a in result.created] == ["Walks"]


def test_workbook_is_recognised_by_its_contents(plan, admin):
    exported = _exported("xlsx")
    exported.name = "plan-upload"  # no suffix
    assert len(import_plan(exported, by=admin).unchanged) == 2


def test_a_formula_guard_is_taken_off_on_import(admin, partners):
    upload = _csv([["'=1+1", "Food Network"]], header="title,lead")
    (added,) = import_plan(upload, by=admin).created
    assert added.title == "=1+1"
