"""The CSV floor of the benchmark: polars' own CSV reader (the Python package, on
the same Rust reader as the polars crate) reading every file given into memory,
all columns as text. Prints one line of JSON: the read time in seconds, without
the interpreter's start and the import.

    python bench/floor_csv.py FILE.csv...
"""

import json
import sys
import time

import polars as pl

started = time.perf_counter()
frames = [pl.read_csv(path, separator=";", has_header=False, infer_schema=False) for path in sys.argv[1:]]
seconds = time.perf_counter() - started
print(json.dumps({"seconds": round(seconds, 6), "cells": sum(f.height * f.width for f in frames)}))
