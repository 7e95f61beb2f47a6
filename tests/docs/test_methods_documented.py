"""Every public function is documented in docs/methods.md and cites its source."""

import inspect
from pathlib import Path

import pytest

import healthgap as hg

DOCS = Path(__file__).parents[2] / "docs"
PUBLIC_FUNCTIONS = [name for name in hg.__all__ if inspect.isfunction(getattr(hg, name))]


@pytest.mark.parametrize("name", PUBLIC_FUNCTIONS)
def test_public_function_is_in_the_methods_guide(name):
    assert f"`{name}`" in (DOCS / "methods.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", PUBLIC_FUNCTIONS)
def test_public_function_docstring_cites_a_source_and_has_an_example(name):
    doc = inspect.getdoc(getattr(hg, name)) or ""
    assert "References" in doc, f"{name} cites no source"
    assert ">>>" in doc, f"{name} has no runnable example"
