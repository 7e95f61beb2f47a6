"""Indicators as code: declarative definitions and the engine that evaluates them."""
