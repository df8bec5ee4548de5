"""EXPLAIN ANALYZE of one query of `upr_data.queries` on a generated store.

    python bench/explain.py recommendations --size 1000000 --filter none [--args 5000]

Prints the SQL the query function sends and DuckDB's profile of it (operator timings).
The store must exist (bench/run.py or bench/synthetic.py generates it).
"""

from __future__ import annotations

import argparse
import ast
import sys
import time
from pathlib import Path

import run
from upr_data import queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("query")
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--filter", default="none", choices=list(run.FILTERS))
    parser.add_argument("--args", default="", help="extra arguments, as Python literals")
    args = parser.parse_args()
    store_dir = run.BENCH / "out" / f"store-{args.size}"
    if not store_dir.is_dir():
        sys.exit(f"no store at {store_dir}: run bench/synthetic.py {args.size} first")
    con = queries.connect(store_dir)
    extra = ast.literal_eval(f"({args.args},)") if args.args else ()
    captured: list[tuple[str, dict]] = []
    plain = queries._df

    def profiled(con, sql: str, params: dict):
        captured.append((sql, params))
        began = time.perf_counter()
        frame = plain(con, sql, params)
        print(f"-- {(time.perf_counter() - began) * 1000:.1f} ms\n{sql}\n-- params {params}")
        plan = con.cursor().execute("EXPLAIN ANALYZE " + sql, params).fetchall()
        print(plan[0][1])
        return frame

    queries._df = profiled
    f = run.FILTERS[args.filter]
    getattr(queries, args.query)(*((con,) if args.query == "coverage" else (con, f)), *extra)


if __name__ == "__main__":
    main()
