"""Generate docs/cli.md from the command line's own --help text.

`python scripts/cli_reference.py` rewrites the file; tests/docs/test_cli_reference.py fails
when it is out of date, so the reference can't silently rot.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer.main
from typer.testing import CliRunner

from healthgap.cli import app

DOC = Path(__file__).parents[1] / "docs" / "cli.md"
HEADER = """# Command-line reference

Generated from `healthgap --help` by `scripts/cli_reference.py`; do not edit by hand.
"""


def commands() -> list[str]:
    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def help_text(args: list[str]) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "100", "NO_COLOR": "1"})
    return "\n".join(line.rstrip() for line in result.output.strip().splitlines())


def render() -> str:
    parts = [HEADER, "## healthgap\n", "```\n" + help_text([]) + "\n```\n"]
    for name in commands():
        parts += [f"## healthgap {name}\n", "```\n" + help_text([name]) + "\n```\n"]
    return "\n".join(parts)


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}", file=sys.stderr)
