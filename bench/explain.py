"""EXPLAIN ANALYZE of one query of `upr_data.queries` on a generated store.

    python bench/explain.py recommendations --size 1000000 --filter none [--args 5000] [--tree]

Prints each SQL statement the query function sends (through `queries._df` or `queries._run`),
its time, and the costliest operators of DuckDB's profile (`--tree`: the whole plan as DuckDB
draws it). The store must exist (bench/run.py or `python bench/synthetic.py SIZE` generates it).
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import time

import run

from upr_data import queries


def _operators(node: dict, depth: int = 0):
    """(seconds, depth, type, rows, detail) of every operator of a JSON profile."""
    info = node.get("extra_info", {})
    detail = "; ".join(f"{k}: {v}" for k, v in info.items() if k != "Estimated Cardinality")
    yield node.get("timing", 0.0), depth, node.get("type", "?"), node.get("operator_cardinality",
        node.get("intermediate_rows", 0)), detail  # fmt: skip
    for child in node.get("children", []) + node.get("operator", []):
        yield from _operators(child, depth + 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("query")
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--filter", default="none", choices=list(run.FILTERS))
    parser.add_argument("--args", default="", help="extra arguments, as Python literals")
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--tree", action="store_true")
    args = parser.parse_args()
    store_dir = run.BENCH / "out" / f"store-{args.size}"
    if not store_dir.is_dir():
        sys.exit(f"no store at {store_dir}: run bench/synthetic.py {args.size} first")
    con = queries.connect(store_dir)
    extra = ast.literal_eval(f"({args.args},)") if args.args else ()

    def profiled(cursor, sql: str, params: dict):
        """Run on `cursor` itself: a plan's cursor is the one that sees its `_hits`."""
        cursor.execute(sql, params).df()  # warm
        began = time.perf_counter()
        frame = cursor.execute(sql, params).df()
        print(f"-- {(time.perf_counter() - began) * 1000:.1f} ms\n{sql}\n-- params {params}")
        if args.tree:
            print(cursor.execute("EXPLAIN ANALYZE " + sql, params).fetchall()[0][1])
            return frame
        plan = cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params).fetchall()
        ops = sorted(_operators(json.loads(plan[0][1])), reverse=True)[: args.top]
        for seconds, depth, kind, rows, detail in ops:
            print(f"{seconds * 1000:8.1f} ms  depth {depth:2}  {kind:<20} {rows:>10,} rows  "
                  f"{detail[:150]}")  # fmt: skip
        return frame

    def profiled_df(con, sql: str, params: dict):
        return profiled(con.cursor(), sql, params)

    def profiled_run(con, plan, sql: str, params: dict | None = None):
        cursor = queries._cursor(con, plan)
        bound = queries._bind(sql, {**plan.params, **(params or {})})
        return profiled(cursor, sql, bound)

    queries._df = profiled_df
    queries._run = profiled_run
    f = run.FILTERS[args.filter]
    getattr(queries, args.query)(*((con,) if args.query == "coverage" else (con, f)), *extra)


if __name__ == "__main__":
    main()
