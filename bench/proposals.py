"""Suggested rewrites of the slowest queries of `upr_data.queries`, checked and timed here.

    python bench/proposals.py [--size 1000000] [--repeat 3]

Each proposal is a drop-in replacement with the same signature and result (compared on every
benchmark filter, at the 1k store and at --size); the timings show what it would change. Nothing
here is used by the app: a maintainer of queries.py can copy what is worth taking.
"""

from __future__ import annotations

import argparse
import statistics
import time

import run
import synthetic

from upr_data import queries
from upr_data.filters import Filters


def _listing(cte: str) -> str:
    """For `queries._listing`: take the page (ORDER BY ... LIMIT) first, then join the extra
    columns for its rows only. The current correlated subqueries are decorrelated into
    aggregates over every selected recommendation (string_agg over 1.3M State rows, list over
    1.9M theme tags at 1M) before the Top-N keeps 5,000 of them."""
    statuses = ", ".join(
        f"any_value(status) FILTER (WHERE assessor_role = '{role}') AS status_{role}"
        for role in queries.ROLES
    )
    return f"""{cte},
    page AS MATERIALIZED (SELECT * FROM sel ORDER BY sur, cycle, sort_key LIMIT $limit),
    named AS (SELECT rs.rec_id, string_agg(coalesce(st.name, rs.state_iso3), '; '
                                           ORDER BY rs.state_iso3) AS states
              FROM page JOIN recommendation_states rs USING (rec_id)
              LEFT JOIN states st ON st.iso3 = rs.state_iso3 GROUP BY rs.rec_id),
    tagged AS (SELECT rec_id, list_sort(list(code) FILTER (WHERE scheme = 'theme')) AS themes,
                      min(code) FILTER (WHERE scheme = 'action_category') AS action_category
               FROM page JOIN effective_tags USING (rec_id) GROUP BY rec_id),
    linked AS (SELECT rec_id, count(*) AS evidence
               FROM page JOIN current_links USING (rec_id) GROUP BY rec_id),
    assessed AS (SELECT rec_id, {statuses}
                 FROM page JOIN latest_status USING (rec_id) GROUP BY rec_id)
    SELECT page.rec_id, page.cycle, page.paragraph, page.text, page.response, named.states,
           tagged.themes, tagged.action_category, coalesce(linked.evidence, 0) AS evidence,
           {", ".join(f"assessed.status_{role}" for role in queries.ROLES)}
    FROM page LEFT JOIN named USING (rec_id) LEFT JOIN tagged USING (rec_id)
    LEFT JOIN linked USING (rec_id) LEFT JOIN assessed USING (rec_id)
    ORDER BY page.sur, page.cycle, page.sort_key"""


def recommendations(con, f: Filters, limit: int = queries.MAX_ROWS):
    """`queries.recommendations` with the `_listing` above."""
    cte, params = queries._selection(f)
    return queries._df(con, _listing(cte), {**params, "limit": limit})


def coverage(con):
    """Count per cycle before joining: rec_id is the key of recommendations, so plain counts
    replace the four count(DISTINCT ...) over the recommendations x States join (each a hash
    aggregate over every recommendation)."""
    sql = """WITH loaded AS (
        SELECT sur, cycle, count(*) AS loaded,
               count(*) FILTER (WHERE response = 'supported') AS loaded_supported,
               count(*) FILTER (WHERE response = 'noted') AS loaded_noted,
               count(*) FILTER (WHERE response = 'partially_supported')
                   AS loaded_partially_supported
        FROM recommendations GROUP BY sur, cycle),
    by_state AS (
        SELECT r.sur, r.cycle, count(DISTINCT rs.state_iso3) AS loaded_states
        FROM recommendation_states rs JOIN recommendations r USING (rec_id) GROUP BY ALL)
    SELECT c.sur, c.cycle, c.review_date, c.wg_report, c.official_recommendations,
           c.official_supported, c.official_noted, c.official_recommending_states,
           coalesce(l.loaded, 0) AS loaded, coalesce(l.loaded_supported, 0) AS loaded_supported,
           coalesce(l.loaded_noted, 0) AS loaded_noted,
           coalesce(l.loaded_partially_supported, 0) AS loaded_partially_supported,
           coalesce(s.loaded_states, 0) AS loaded_states
    FROM cycles c LEFT JOIN loaded l USING (sur, cycle) LEFT JOIN by_state s USING (sur, cycle)
    ORDER BY c.sur, c.cycle"""
    return queries._df(con, sql, {})


def by_state(con, f: Filters):
    """count(*) instead of count(DISTINCT sel.rec_id): a (rec_id, State) pair is one row of
    recommendation_states (the build de-duplicates States per paragraph; worth an integrity
    check), so each distinct count, a hash aggregate over every State row, is a plain count."""
    cte, params = queries._selection(f)
    sql = f"""{cte}
    SELECT rs.state_iso3 AS iso3, coalesce(any_value(st.name), rs.state_iso3) AS name,
           rs.regional_group,
           count(*) AS recommendations,
           count(*) FILTER (WHERE sel.response = 'supported') AS supported,
           count(*) FILTER (
               WHERE sel.rec_id IN (SELECT rec_id FROM current_links)) AS with_evidence,
           count(*) FILTER (
               WHERE sel.rec_id IN (SELECT rec_id FROM latest_status)) AS assessed,
           list_sort(list(DISTINCT sel.cycle)) AS cycles
    FROM sel {queries._state_rows(f)}
    LEFT JOIN states st ON st.iso3 = rs.state_iso3
    GROUP BY rs.state_iso3, rs.regional_group ORDER BY recommendations DESC, name"""
    frame = queries._df(con, sql, params)
    frame["share_supported"] = frame["supported"] / frame["recommendations"]
    frame["share_with_evidence"] = frame["with_evidence"] / frame["recommendations"]
    return frame


PROPOSALS = {
    "recommendations": (recommendations, (5000,)),
    "coverage": (coverage, None),
    "by_state": (by_state, ()),
}


def _median_ms(fn, args: tuple, repeat: int):
    fn(*args)
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        result = fn(*args)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    differ = 0
    for size in sorted({1000, args.size}):
        con = queries.connect(synthetic.ensure(size, run.BENCH / "out" / f"store-{size}"))
        print(f"== {size:,} recommendations        current   proposed")
        for name, (proposed, extra) in PROPOSALS.items():
            current = getattr(queries, name)
            for key, f in run.FILTERS.items():
                call_args = (con,) if extra is None else (con, f, *extra)
                old_ms, old = _median_ms(current, call_args, args.repeat)
                new_ms, new = _median_ms(proposed, call_args, args.repeat)
                same = run._canonical(old) == run._canonical(new)
                differ += not same
                print(f"{name:<17} {key:<15} {old_ms:8.1f} ms {new_ms:8.1f} ms"
                      f"  {'same result' if same else 'RESULT DIFFERS'}")  # fmt: skip
                if extra is None:
                    break
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
