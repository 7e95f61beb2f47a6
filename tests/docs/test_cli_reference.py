"""docs/cli.md is generated from --help and must be up to date."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location(
        "cli_reference", ROOT / "scripts/cli_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_up_to_date():
    generator = _generator()
    assert (ROOT / "docs/cli.md").read_text(encoding="utf-8") == generator.render(), (
        "docs/cli.md is stale: run `.venv/bin/python scripts/cli_reference.py`"
    )


def test_every_command_has_a_section_and_help():
    generator = _generator()
    text = (ROOT / "docs/cli.md").read_text(encoding="utf-8")
    for name in generator.commands():
        assert f"## healthgap {name}\n" in text
        assert "Usage:" in generator.help_text([name])
