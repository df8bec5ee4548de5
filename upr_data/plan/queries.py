"""The plan's queries, over the database `queries.connect` loads (every table of the schema,
the current row of each institution and item) and under the same filters as every view: an item
is in the selection when one of its recommendations is.

An item's state on a given day: "completed" when its latest progress report says so; otherwise
"overdue" once its due date has passed (due today is not overdue), "due" within the next
`DUE_DAYS` days, "later" beyond, and "no_due_date" for an open-ended one (never overdue). A
withdrawn item, and every superseded row, is out of the plan.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from .. import queries
from ..filters import Filters

DUE_DAYS = 90
STATES = ("overdue", "due", "later", "no_due_date", "completed")

# Each current item's recommendations (a provisional id reconciled since gives its paragraph),
# its latest progress report and its state on $today.
_ITEMS = """
links AS (
    SELECT i.item_id, coalesce(rc.rec_id, l.rec_id) AS rec_id
    FROM (SELECT item_id, unnest(string_split(rec_ids, ';')) AS rec_id
          FROM plan_items WHERE NOT coalesce(withdrawn, false)) l
    JOIN plan_items i USING (item_id)
    LEFT JOIN reconciliations rc ON rc.provisional_id = l.rec_id),
reports AS (
    SELECT * FROM plan_progress
    WHERE progress_id NOT IN (SELECT supersedes FROM plan_progress WHERE supersedes IS NOT NULL)
    QUALIFY row_number() OVER (PARTITION BY item_id
                               ORDER BY date DESC, entered_at DESC, progress_id DESC) = 1),
chosen AS (SELECT DISTINCT l.item_id FROM links l JOIN selection s USING (rec_id)),
items AS (
    SELECT i.*, r.status, r.date AS status_date, r.note AS status_note,
           r.reported_by AS status_by, r.evidence_id, r.assessment_id,
           CASE WHEN r.status = 'completed' THEN 'completed'
                WHEN i.due_date IS NULL THEN 'no_due_date'
                WHEN i.due_date < $today THEN 'overdue'
                WHEN i.due_date <= $today + $days THEN 'due'
                ELSE 'later' END AS state
    FROM plan_items i JOIN chosen USING (item_id)
    LEFT JOIN reports r USING (item_id)
    WHERE NOT coalesce(i.withdrawn, false))"""


def _params(today: date | None) -> dict:
    return {"today": today or date.today(), "days": DUE_DAYS}


def items(con, f: Filters, today: date | None = None) -> pd.DataFrame:
    """The items of the selection, soonest due first: the recommendations (those in the
    selection), lead and supporting institutions' names, what, how measured, by when, state."""
    sql = f"""WITH {_ITEMS},
    names AS (SELECT institution_id, name_en, name_km, kind FROM institutions),
    support AS (
        SELECT i.item_id, string_agg(coalesce(n.name_en, n.name_km), '; ') AS supporting_en,
               string_agg(coalesce(n.name_km, n.name_en), '; ') AS supporting_km
        FROM (SELECT item_id, unnest(string_split(supporting, ';')) AS institution_id
              FROM items) i JOIN names n USING (institution_id) GROUP BY i.item_id),
    recs AS (
        SELECT l.item_id, string_agg(l.rec_id, '; ' ORDER BY s.rid) AS recommendations,
               count(*) AS n_recommendations
        FROM links l JOIN selection s USING (rec_id) GROUP BY l.item_id)
    SELECT i.item_id, i.sur, recs.recommendations, recs.n_recommendations,
           i.responsible, coalesce(n.name_en, n.name_km) AS responsible_en,
           coalesce(n.name_km, n.name_en) AS responsible_km, n.kind AS responsible_kind,
           support.supporting_en, support.supporting_km,
           i.action, i.indicator, i.baseline, i.target, i.timeline, i.due_date,
           i.due_precision, i.state, i.status, i.status_date, i.status_note, i.status_by,
           i.evidence_id, i.assessment_id, i.source_document
    FROM items i JOIN recs USING (item_id)
    LEFT JOIN names n ON n.institution_id = i.responsible
    LEFT JOIN support USING (item_id)
    ORDER BY i.due_date NULLS LAST, i.item_id"""
    return queries.in_selection(con, f, sql, _params(today))


def by_institution(con, f: Filters, today: date | None = None) -> pd.DataFrame:
    """Per lead institution: its items by state, and how many recommendations they cover."""
    sql = f"""WITH {_ITEMS}
    SELECT n.institution_id, coalesce(n.name_en, n.name_km) AS name_en,
           coalesce(n.name_km, n.name_en) AS name_km, n.kind,
           count(*) AS items,
           count(*) FILTER (WHERE i.state = 'overdue') AS overdue,
           count(*) FILTER (WHERE i.state = 'due') AS due,
           count(*) FILTER (WHERE i.state = 'completed') AS completed,
           count(*) FILTER (WHERE i.state = 'no_due_date') AS no_due_date,
           (SELECT count(DISTINCT l.rec_id) FROM links l JOIN selection s USING (rec_id)
            JOIN items j USING (item_id) WHERE j.responsible = n.institution_id)
               AS recommendations
    FROM items i JOIN institutions n ON n.institution_id = i.responsible
    GROUP BY ALL ORDER BY overdue DESC, items DESC, name_en"""
    return queries.in_selection(con, f, sql, _params(today))


def state_counts(con, f: Filters, today: date | None = None) -> dict[str, int]:
    """{state: items} of the selection, every state present (0 where none)."""
    sql = f"WITH {_ITEMS} SELECT state, count(*) AS n FROM items GROUP BY state"
    found = dict(queries.in_selection(con, f, sql, _params(today)).itertuples(index=False))
    return {state: int(found.get(state, 0)) for state in STATES}


def gaps(con, f: Filters) -> pd.DataFrame:
    """Supported recommendations of the selection that no current plan item covers."""
    sql = f"""WITH {_ITEMS}
    SELECT s.rec_id, s.sur, s.cycle, s.paragraph, s.text, s.themes
    FROM selection s
    WHERE s.response IN ('supported', 'partially_supported')
      AND s.rec_id NOT IN (
          SELECT l.rec_id FROM links l JOIN plan_items i USING (item_id)
          WHERE NOT coalesce(i.withdrawn, false))
    ORDER BY s.rid"""
    return queries.in_selection(con, f, sql, _params(None))


def gaps_by_theme(con, f: Filters) -> pd.DataFrame:
    """The gap list counted by theme (a recommendation counts under each of its themes; one
    without a theme under ''), with how many supported recommendations each theme has."""
    sql = f"""WITH {_ITEMS},
    planned AS (SELECT DISTINCT l.rec_id FROM links l JOIN plan_items i USING (item_id)
                WHERE NOT coalesce(i.withdrawn, false)),
    supported AS (
        SELECT s.rec_id, unnest(CASE WHEN len(coalesce(s.themes, [])) = 0 THEN ['']
                                     ELSE s.themes END) AS theme
        FROM selection s WHERE s.response IN ('supported', 'partially_supported'))
    SELECT theme, count(*) FILTER (WHERE rec_id NOT IN (SELECT rec_id FROM planned)) AS no_plan,
           count(*) AS supported
    FROM supported GROUP BY theme ORDER BY no_plan DESC, theme"""
    return queries.in_selection(con, f, sql, _params(None))


def for_recommendations(con, rec_ids: list[str], today: date | None = None) -> pd.DataFrame:
    """The current items of given recommendations (for the brief and the slides): one row per
    (recommendation, item)."""
    f = Filters()
    frame = items(con, f, today)
    if frame.empty:
        return frame.assign(rec_id=pd.Series(dtype=str))
    frame = frame.assign(rec_id=frame["recommendations"].str.split("; ")).explode("rec_id")
    return frame[frame["rec_id"].isin(set(rec_ids))].reset_index(drop=True)


def supported_among(con, rec_ids: list[str]) -> list[str]:
    """Those of `rec_ids` whose current position is supported (or partially)."""
    rows = con.cursor().execute(
        "SELECT rec_id FROM recommendations WHERE list_contains($ids, rec_id) "
        "AND response IN ('supported', 'partially_supported') ORDER BY rid",
        {"ids": list(rec_ids)},
    )
    return [r[0] for r in rows.fetchall()]


def count(con) -> int:
    """Current plan items in the store (withdrawn ones aside), whatever the filters."""
    rows = con.cursor().execute(
        "SELECT count(*) FROM plan_items WHERE NOT coalesce(withdrawn, false)"
    )
    return int(rows.fetchall()[0][0])


def calendar_dates(con, f: Filters, today: date | None = None) -> list:
    """The UPR calendar of the State under review the view shows, with the due dates of the
    selection's plan items."""
    from . import calendar

    sur = queries.reviewed_state(con, f)
    cycles = con.cursor().execute("SELECT * FROM cycles WHERE sur = $sur", {"sur": sur}).df()
    plan = items(con, f, today)
    return calendar.key_dates(cycles, sur) + calendar.plan_dates(plan[plan["sur"] == sur])
