# healthgap — developer commands. `make help` lists them.
# Every target sets up the virtual environment first if it is missing or out of date.

SHELL := /bin/bash
VENV  := .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed
PLACE ?= Luton

.DEFAULT_GOAL := help
.PHONY: help setup demo test check format bench lock clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): requirements/lock.txt pyproject.toml scripts/setup-venv
	scripts/setup-venv $(VENV)
	@touch $@

setup: $(STAMP)  ## create .venv with the locked dependencies (Python >= 3.12)

# The board report's PDF needs Pango (WeasyPrint), its tests poppler-utils.
PDF := $(VENV)/.pdf

$(PDF): $(STAMP) scripts/setup-pdf
	scripts/setup-pdf $(VENV)
	@touch $@

demo: $(STAMP) $(PDF)  ## the main job: a synthetic $(PLACE) built end to end, who flu vaccination misses, the board report, then the dashboard
	$(BIN)/healthgap demo --place "$(PLACE)" --dir demo --no-serve
	$(BIN)/healthgap target flu_65_plus --dir demo --top 10 --out demo/out/flu_65_plus-communities.csv
	$(BIN)/healthgap report --dir demo --period 2025-26
	$(BIN)/healthgap serve --dir demo

SPARK := $(VENV)/.spark

$(SPARK): $(STAMP) requirements/lock-spark.txt scripts/setup-spark
	scripts/setup-spark $(VENV)
	@touch $@

BROWSER := $(VENV)/.browser

$(BROWSER): $(STAMP) scripts/setup-browser
	scripts/setup-browser $(VENV)
	@touch $@

test: $(STAMP) $(SPARK) $(BROWSER) $(PDF)  ## run the whole test suite (installs Java and PySpark, Chromium and axe-core, Pango and poppler-utils first)
	$(BIN)/pytest

check: $(STAMP)  ## formatting, lint and type check
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

format: $(STAMP)  ## reformat and autofix lint
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

bench: $(STAMP) $(PDF)  ## print benchmark figures for this machine
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/run_build.py
	$(BIN)/python benchmarks/web.py
	$(BIN)/python benchmarks/report.py

lock: $(STAMP)  ## re-resolve requirements/lock.txt from pyproject.toml
	$(BIN)/pip install -q uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.12 -o requirements/lock.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra spark --python-version 3.12 -o requirements/lock-spark.txt

clean:  ## remove the environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
