"""Open suggestions for `upr_data.queries`, each checked (same result) and timed beside the
current query on a generated store.

    python bench/proposals.py [--size 1000000] [--repeat 3] [--load]

Done already (commit d080ab9, from the first version of this file): page-first listing,
per-cycle coverage counts, plain counts per State, evidence/assessed flags computed in `connect`.
Still open, shown here:

- text filter: `ILIKE $text ESCAPE '\\'` defeats DuckDB's fast path; a lower-cased copy of the
  text made in `connect` and `contains()` (no escaping needed) scans the same rows several times
  faster;
- integer join keys: every query joins on `rec_id` strings; a `rid` integer assigned in
  `connect` and carried into the derived tables halves a typical query;
- `--load`: `connect` with `threads=1` for the load (set back afterwards).

Nothing here is used by the app; the helper tables are made in a throw-away connection.
"""

from __future__ import annotations

import argparse
import statistics
import time

import duckdb
import run
import synthetic

from upr_data import queries, schema, store
from upr_data.filters import Filters

TEXT = "torture"
THEME = run.FILTERS["theme+response"]
SETUP = [
    "CREATE TABLE _lowered AS SELECT rec_id, paragraph, lower(text) AS text_lower "
    "FROM recommendations",
    "CREATE TABLE _ids AS SELECT rec_id, "
    "(row_number() OVER (ORDER BY sur, cycle, sort_key))::INTEGER AS rid FROM recommendations",
    *(f"CREATE TABLE _i_{t} AS SELECT i.rid, x.* FROM {t} x JOIN _ids i USING (rec_id) "
      "ORDER BY rid" for t in ("recommendations", "effective_tags", "latest_status")),
]  # fmt: skip
THEME_STATUS_INT = """WITH sel AS (SELECT r.rid, r.response FROM _i_recommendations r WHERE {where})
    SELECT t.code AS theme, any_value(t.label) AS label, sel.response,
           coalesce(ls.status, 'not_assessed') AS status, count(*) AS n
    FROM sel JOIN _i_effective_tags t ON t.rid = sel.rid AND t.scheme = 'theme' {only}
    LEFT JOIN _i_latest_status ls ON ls.rid = sel.rid AND ls.assessor_role = 'civil_society'
    GROUP BY ALL ORDER BY 1, 3, 4"""
THEME_WHERE = ("r.response = 'supported' AND r.rid IN (SELECT rid FROM _i_effective_tags "
               "WHERE scheme = 'theme' AND code = 'land_housing')")  # fmt: skip

# name, the current query, the proposed SQL (giving the same result)
PROPOSALS = [
    ("text filter: count",
     lambda con: queries.count(con, Filters(text=TEXT)),
     "SELECT count(*) FROM _lowered r WHERE contains(r.text_lower, lower($q)) "
     "OR r.paragraph = $q OR r.rec_id = upper($q)"),
    ("integer keys: by_theme_status, no filter",
     lambda con: queries.by_theme_status(con, Filters(), "civil_society"),
     THEME_STATUS_INT.format(where="TRUE", only="")),
    ("integer keys: by_theme_status, theme+response",
     lambda con: queries.by_theme_status(con, THEME, "civil_society"),
     THEME_STATUS_INT.format(where=THEME_WHERE, only="AND t.code = 'land_housing'")),
    ("integer keys: count, theme+response",
     lambda con: queries.count(con, THEME),
     f"SELECT count(*) FROM _i_recommendations r WHERE {THEME_WHERE}"),
]  # fmt: skip


def _median_ms(repeat: int, fn, *args):
    fn(*args)
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        result = fn(*args)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), result


def _proposed(con, sql: str):
    params = {"q": TEXT} if "$q" in sql else {}
    frame = con.cursor().execute(sql, params).df()
    return int(frame.iloc[0, 0]) if frame.shape == (1, 1) else frame


def load_threads(store_dir, threads: int | None):
    """`queries.connect` with the load run on `threads` threads (None: DuckDB's default)."""
    con = duckdb.connect(":memory:", config={"threads": threads} if threads else {})
    for name in schema.TABLES:
        con.from_arrow(store.read_table(store_dir, name)).create(name)
    for statement in queries.DERIVED:
        con.execute(statement)
    con.execute("RESET threads")
    return con


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--load", action="store_true", help="also time connect with threads=1")
    args = parser.parse_args()
    differ = 0
    for size in sorted({1000, args.size}):
        store_dir = synthetic.ensure(size, run.BENCH / "out" / f"store-{size}")
        con = queries.connect(store_dir)
        for statement in SETUP:
            con.execute(statement)
        print(f"== {size:,} recommendations{'':<30}current   proposed")
        for name, current, sql in PROPOSALS:
            old_ms, old = _median_ms(args.repeat, current, con)
            new_ms, new = _median_ms(args.repeat, _proposed, con, sql)
            same = run._canonical(old) == run._canonical(new)
            differ += not same
            print(f"{name:<46} {old_ms:8.1f} ms {new_ms:8.1f} ms"
                  f"  {'same result' if same else 'RESULT DIFFERS'}")  # fmt: skip
        if args.load:
            for threads in (None, 1, None, 1):
                began = time.perf_counter()
                load_threads(store_dir, threads)
                print(f"connect, load threads={threads or 'default'}: "
                      f"{time.perf_counter() - began:.2f} s")  # fmt: skip
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
