"""The analytical store of computed indicator values (a DuckDB file by default)."""
