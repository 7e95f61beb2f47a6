"""The spreadsheet's columns: their names, what they hold, and the formula guard."""

from __future__ import annotations

COLUMNS = ("id", "title", "description", "lead", "partners", "priorities", "groups",
           "localities", "indicator_ids", "baseline", "target_value", "target_date",
           "start_date", "due_date", "status", "version", "latest_update")  # fmt: skip
REQUIRED = ("title", "lead")
LISTS = ("partners", "priorities", "groups", "localities", "indicator_ids")
SEPARATOR = "; "
FORMATS = ("csv", "xlsx")

#: What each column holds, for error messages.
EXPECTED = {
    "id": "the action's id (a whole number), or empty for a new action",
    "title": "a short title (at most 200 characters)",
    "lead": "the lead organisation's name",
    "version": "the version the row was exported at (a whole number)",
}
#: A spreadsheet treats a cell starting with one of these as a formula: exported text
#: starting so gets a leading apostrophe (OWASP's advice on CSV injection), taken off
#: again on import.
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def column_letter(index: int) -> str:
    """Spreadsheet column letters of a 0-based index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
