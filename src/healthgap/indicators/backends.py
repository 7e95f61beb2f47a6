"""Ibis backends the engine runs on: DuckDB (embedded, the default) and PySpark.

Spark is an optional extra (``pip install healthgap[spark]``, Java 17; see
``scripts/setup-spark``). The session is local (``local[2]``) with its web UI off; the
workers run this same Python interpreter (``PYSPARK_PYTHON``), else they may pick another
version and fail.
"""

from __future__ import annotations

import os
import sys

import ibis

from healthgap.errors import InputError

ENGINES = ("duckdb", "spark")


def connect(engine: str = "duckdb") -> ibis.BaseBackend:
    """A new connection to ``engine``."""
    if engine == "duckdb":
        return ibis.duckdb.connect()
    if engine == "spark":
        return _spark()
    raise InputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")


def _spark() -> ibis.BaseBackend:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise InputError(
            "the Spark engine needs PySpark and Java 17: run scripts/setup-spark "
            "(or pip install 'healthgap[spark]')"
        ) from None
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("healthgap")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.default.parallelism", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return ibis.pyspark.connect(session)


def errors() -> tuple[type[BaseException], ...]:
    """Exception types of the optional backends (for clear messages)."""
    try:
        from pyspark.errors import PySparkException
    except ImportError:
        return ()
    return (PySparkException,)
