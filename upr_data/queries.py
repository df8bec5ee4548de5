"""Every SQL statement of the product: DuckDB over the store, always with bound parameters.

`connect(store)` loads the store's tables into an in-memory DuckDB database (plus a few derived
tables: effective tags, current assessments, latest status per role) once per store version; each
query function takes a `Filters` and returns a small DataFrame. A user's value only ever reaches
SQL as a parameter; the fragments below are fixed text chosen by which filters are set.

Counting basis: "paragraphs" counts recommendations as the UN numbers them; "states" counts one
per recommending State of each paragraph (a clustered paragraph of five States counts five).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from . import schema, store
from .filters import Filters
from .ingest.current import latest_rows

BASES = ("paragraphs", "states")
MAX_ROWS = 5_000  # row cap of list queries; the views say when it is reached
ROLES = tuple(schema.ROLES)

DERIVED = [
    # A curator's tags for a (recommendation, scheme) replace the classifier's and official ones,
    # which stay in `tags` underneath.
    """CREATE OR REPLACE TABLE effective_tags AS
       SELECT t.* FROM tags t
       WHERE t.provenance = 'curator' OR NOT EXISTS (
           SELECT 1 FROM tags c
           WHERE c.provenance = 'curator' AND c.rec_id = t.rec_id AND c.scheme = t.scheme)""",
    """CREATE OR REPLACE TABLE current_assessments AS
       SELECT a.* FROM assessments a
       WHERE a.assessment_id NOT IN (
           SELECT supersedes FROM assessments WHERE supersedes IS NOT NULL)""",
    """CREATE OR REPLACE TABLE latest_status AS
       SELECT rec_id, assessor_role, status, date, assessor_org
       FROM current_assessments
       QUALIFY row_number() OVER (
           PARTITION BY rec_id, assessor_role
           ORDER BY date DESC, entered_at DESC NULLS LAST, assessment_id DESC) = 1""",
    """CREATE OR REPLACE TABLE current_evidence AS
       SELECT e.* FROM evidence e
       WHERE e.evidence_id NOT IN (
           SELECT supersedes FROM evidence WHERE supersedes IS NOT NULL)""",
    """CREATE OR REPLACE TABLE current_links AS
       SELECT DISTINCT l.evidence_id, l.rec_id FROM evidence_links l
       JOIN current_evidence e USING (evidence_id)""",
    # Two flags every view counts by, computed once per store version instead of per query.
    """CREATE OR REPLACE TABLE recommendations AS
       SELECT r.*,
              r.rec_id IN (SELECT rec_id FROM current_links) AS has_evidence,
              r.rec_id IN (SELECT rec_id FROM latest_status) AS assessed
       FROM recommendations r""",
]


def connect(store_dir: Path) -> duckdb.DuckDBPyConnection:
    """A new in-memory database holding a snapshot of the store."""
    con = duckdb.connect(":memory:")
    for name in schema.TABLES:
        data = store.read_table(store_dir, name)
        if name == "recommendations":
            # An import that changes a position appends a newer row for the same id.
            data = latest_rows(data, "rec_id")
        con.from_arrow(data).create(name)
    for statement in DERIVED:
        con.execute(statement)
    return con


# -- the filter, as SQL ----------------------------------------------------------------------------


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(f: Filters) -> tuple[str, dict]:
    """WHERE clause over `recommendations r` for the filters, and its parameters."""
    clauses: list[str] = []
    params: dict = {}
    if f.cycles:
        clauses.append("list_contains($cycles, r.cycle)")
        params["cycles"] = list(f.cycles)
    if f.responses:
        clauses.append("list_contains($responses, r.response)")
        params["responses"] = list(f.responses)
    for attr, scheme in (("themes", "theme"), ("groups", "group"), ("actions", "action_category")):
        values = getattr(f, attr)
        if values:
            # Only the parameter names vary; every value is bound.
            clauses.append(
                f"r.rec_id IN (SELECT rec_id FROM effective_tags "
                f"WHERE scheme = ${attr}_scheme AND list_contains(${attr}, code))"
            )
            params[attr] = list(values)
            params[f"{attr}_scheme"] = scheme
    if f.states:
        clauses.append(
            "r.rec_id IN (SELECT rec_id FROM recommendation_states "
            "WHERE list_contains($states, state_iso3))"
        )
        params["states"] = list(f.states)
    if f.regions:
        clauses.append(
            "r.rec_id IN (SELECT rec_id FROM recommendation_states "
            "WHERE list_contains($regions, regional_group))"
        )
        params["regions"] = list(f.regions)
    by_role = "list_contains($roles, s.assessor_role)" if f.roles else "TRUE"
    if f.roles:
        params["roles"] = list(f.roles)
    if f.statuses:
        either = []
        real = [s for s in f.statuses if s != schema.NOT_ASSESSED]
        if real:
            either.append(
                f"r.rec_id IN (SELECT rec_id FROM latest_status s "
                f"WHERE {by_role} AND list_contains($statuses, s.status))"
            )
            params["statuses"] = real
        if schema.NOT_ASSESSED in f.statuses:
            either.append(f"r.rec_id NOT IN (SELECT rec_id FROM latest_status s WHERE {by_role})")
        clauses.append("(" + " OR ".join(either) + ")")
    elif f.roles:
        clauses.append(f"r.rec_id IN (SELECT rec_id FROM latest_status s WHERE {by_role})")
    if f.evidence == "with":
        clauses.append("r.has_evidence")
    elif f.evidence == "without":
        clauses.append("NOT r.has_evidence")
    if f.text:
        clauses.append(
            "(r.text ILIKE $text ESCAPE '\\' OR r.paragraph = $text_exact "
            "OR r.rec_id = upper($text_exact))"
        )
        params["text"] = f"%{_escape_like(f.text)}%"
        params["text_exact"] = f.text
    return (" AND ".join(clauses) or "TRUE"), params


def _selection(f: Filters) -> tuple[str, dict]:
    """A `sel` CTE of the filtered recommendations."""
    where, params = _where(f)
    return f"WITH sel AS (SELECT r.* FROM recommendations r WHERE {where})", params


def _state_rows(f: Filters) -> str:
    """Recommending-State rows of the selection; with a State or group filter, only those."""
    conditions = ["rs.rec_id = sel.rec_id"]
    if f.states:
        conditions.append("list_contains($states, rs.state_iso3)")
    if f.regions:
        conditions.append("list_contains($regions, rs.regional_group)")
    return "JOIN recommendation_states rs ON " + " AND ".join(conditions)


def _basis_join(f: Filters, basis: str) -> str:
    if basis not in BASES:
        raise ValueError(f"unknown counting basis {basis!r}")
    return _state_rows(f) if basis == "states" else ""


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pd.DataFrame:
    return con.cursor().execute(sql, params).df()


# -- queries the views use -------------------------------------------------------------------------


def summary(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, int]:
    """Headline figures for the selection (paragraph counts unless named otherwise)."""
    cte, params = _selection(f)
    sql = f"""{cte},
    srows AS (SELECT rs.* FROM sel {_state_rows(f)})
    SELECT
        count(*) AS recommendations,
        count(*) FILTER (WHERE response = 'supported') AS supported,
        count(*) FILTER (WHERE response = 'partially_supported') AS partially_supported,
        count(*) FILTER (WHERE response = 'noted') AS noted,
        count(*) FILTER (WHERE response = 'pending') AS pending,
        count(*) FILTER (WHERE assessed) AS assessed,
        count(*) FILTER (WHERE has_evidence) AS with_evidence,
        (SELECT count(DISTINCT state_iso3) FROM srows) AS recommending_states,
        (SELECT count(*) FROM srows) AS state_recommendations,
        count(DISTINCT cycle) AS cycles
    FROM sel"""
    row = _df(con, sql, params).iloc[0]
    return {k: int(v) for k, v in row.items()}


def by_theme_response(con, f: Filters, basis: str = "paragraphs") -> pd.DataFrame:
    """theme, label, response, n: every theme tag of the selection (only the chosen themes)."""
    cte, params = _selection(f)
    only = "AND list_contains($themes, t.code)" if f.themes else ""
    sql = f"""{cte}
    SELECT t.code AS theme, any_value(t.label) AS label, sel.response, count(*) AS n
    FROM sel JOIN effective_tags t ON t.rec_id = sel.rec_id AND t.scheme = 'theme' {only}
    {_basis_join(f, basis)}
    GROUP BY t.code, sel.response ORDER BY t.code, sel.response"""
    return _df(con, sql, params)


def _status_by(con, f: Filters, role: str, dimension_sql: str, dimension: str, basis: str):
    cte, params = _selection(f)
    params["role"] = role
    sql = f"""{cte},
    d AS ({dimension_sql})
    SELECT d.{dimension}, any_value(d.label) AS label, d.response,
           coalesce(ls.status, '{schema.NOT_ASSESSED}') AS status, count(*) AS n
    FROM d
    LEFT JOIN latest_status ls ON ls.rec_id = d.rec_id AND ls.assessor_role = $role
    GROUP BY ALL ORDER BY 1, 3, 4"""
    return _df(con, sql, params)


def by_theme_status(con, f: Filters, role: str, basis: str = "paragraphs") -> pd.DataFrame:
    """theme, label, response, status, n: the latest status by one assessor role per theme."""
    only = "AND list_contains($themes, t.code)" if f.themes else ""
    dimension_sql = f"""SELECT sel.rec_id, sel.response, t.code AS theme, t.label FROM sel
        JOIN effective_tags t ON t.rec_id = sel.rec_id AND t.scheme = 'theme' {only}
        {_basis_join(f, basis)}"""
    return _status_by(con, f, role, dimension_sql, "theme", basis)


def by_action_status(con, f: Filters, role: str, basis: str = "paragraphs") -> pd.DataFrame:
    """action_category, label, response, status, n."""
    dimension_sql = f"""SELECT sel.rec_id, sel.response, t.code AS action_category, t.label
        FROM sel JOIN effective_tags t ON t.rec_id = sel.rec_id AND t.scheme = 'action_category'
        {_basis_join(f, basis)}"""
    return _status_by(con, f, role, dimension_sql, "action_category", basis)


def by_role_status(con, f: Filters, basis: str = "paragraphs") -> pd.DataFrame:
    """role, status, n: each assessor role's latest status on each selected recommendation."""
    cte, params = _selection(f)
    params["all_roles"] = list(ROLES)
    sql = f"""{cte},
    roles AS (SELECT unnest($all_roles) AS role)
    SELECT roles.role, coalesce(ls.status, '{schema.NOT_ASSESSED}') AS status, count(*) AS n
    FROM sel {_basis_join(f, basis)} CROSS JOIN roles
    LEFT JOIN latest_status ls ON ls.rec_id = sel.rec_id AND ls.assessor_role = roles.role
    GROUP BY ALL ORDER BY 1, 2"""
    return _df(con, sql, params)


def by_state(con, f: Filters) -> pd.DataFrame:
    """One row per recommending State in the selection: paragraphs it is credited on, and shares."""
    cte, params = _selection(f)
    sql = f"""{cte}
    SELECT rs.state_iso3 AS iso3, coalesce(any_value(st.name), rs.state_iso3) AS name,
           rs.regional_group,
           -- a (recommendation, State) pair is one row of recommendation_states (the build and
           -- the importers credit a State once per paragraph), so plain counts suffice
           count(*) AS recommendations,
           count(*) FILTER (WHERE sel.response = 'supported') AS supported,
           count(*) FILTER (WHERE sel.has_evidence) AS with_evidence,
           count(*) FILTER (WHERE sel.assessed) AS assessed,
           list_sort(list(DISTINCT sel.cycle)) AS cycles
    FROM sel {_state_rows(f)}
    LEFT JOIN states st ON st.iso3 = rs.state_iso3
    GROUP BY rs.state_iso3, rs.regional_group ORDER BY recommendations DESC, name"""
    frame = _df(con, sql, params)
    frame["share_supported"] = frame["supported"] / frame["recommendations"]
    frame["share_with_evidence"] = frame["with_evidence"] / frame["recommendations"]
    return frame


def by_region(con, f: Filters) -> pd.DataFrame:
    """regional_group, states, recommendations (by State), supported, share_supported."""
    cte, params = _selection(f)
    sql = f"""{cte}
    SELECT rs.regional_group, count(DISTINCT rs.state_iso3) AS states,
           count(*) AS recommendations,
           count(*) FILTER (WHERE sel.response = 'supported') AS supported
    FROM sel {_state_rows(f)}
    GROUP BY 1 ORDER BY recommendations DESC"""
    frame = _df(con, sql, params)
    frame["share_supported"] = frame["supported"] / frame["recommendations"]
    return frame


def _listing(cte: str) -> str:
    """One row per recommendation of a `sel` CTE: States, themes, latest status per role.

    The page (ORDER BY ... LIMIT) is taken first, and the extra columns are joined for its rows
    only, not aggregated over every selected recommendation."""
    # One column per role: the role codes are the schema's constants, never input.
    statuses = ", ".join(
        f"any_value(status) FILTER (WHERE assessor_role = '{role}') AS status_{role}"
        for role in ROLES
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
           {", ".join(f"assessed.status_{role}" for role in ROLES)}
    FROM page LEFT JOIN named USING (rec_id) LEFT JOIN tagged USING (rec_id)
    LEFT JOIN linked USING (rec_id) LEFT JOIN assessed USING (rec_id)
    ORDER BY page.sur, page.cycle, page.sort_key"""


def recommendations(con, f: Filters, limit: int = MAX_ROWS) -> pd.DataFrame:
    """The filtered list: one row per paragraph with States, themes and latest status per role."""
    cte, params = _selection(f)
    params["limit"] = limit
    return _df(con, _listing(cte), params)


def recommendations_by_id(con, rec_ids: list[str], limit: int = MAX_ROWS) -> pd.DataFrame:
    """The same listing for given ids (e.g. every cycle's link of a recurring issue)."""
    cte = "WITH sel AS (SELECT r.* FROM recommendations r WHERE list_contains($ids, r.rec_id))"
    return _df(con, _listing(cte), {"ids": list(rec_ids), "limit": limit})


def count(con, f: Filters, basis: str = "paragraphs") -> int:
    cte, params = _selection(f)
    sql = f"{cte} SELECT count(*) FROM sel {_basis_join(f, basis)}"
    return int(con.cursor().execute(sql, params).fetchone()[0])


def recommendation(con, rec_id: str) -> dict[str, pd.DataFrame] | None:
    """One recommendation in full: itself, States, response history, tags, assessments, evidence."""
    p = {"id": rec_id}
    head = _df(con, "SELECT * FROM recommendations WHERE rec_id = $id", p)
    if head.empty:
        return None
    return {
        "recommendation": head,
        "states": _df(
            con,
            """SELECT rs.state_iso3 AS iso3, coalesce(st.name, rs.state_iso3) AS name,
                rs.name_as_printed, rs.regional_group FROM recommendation_states rs
                LEFT JOIN states st ON st.iso3 = rs.state_iso3
                WHERE rs.rec_id = $id ORDER BY name""",
            p,
        ),
        "history": _df(
            con,
            """SELECT seq, response, stage, note, source FROM response_history
                WHERE rec_id = $id ORDER BY seq""",
            p,
        ),
        "tags": _df(
            con,
            """SELECT t.scheme, t.code, t.label, t.provenance, t.rule,
                EXISTS (SELECT 1 FROM effective_tags e WHERE e.rec_id = t.rec_id
                        AND e.scheme = t.scheme AND e.code = t.code
                        AND e.provenance = t.provenance) AS in_effect
                FROM tags t WHERE t.rec_id = $id ORDER BY t.scheme, t.code""",
            p,
        ),
        "assessments": _df(
            con,
            """SELECT a.*, a.assessment_id IN (
                    SELECT supersedes FROM assessments WHERE supersedes IS NOT NULL) AS superseded
                FROM assessments a WHERE a.rec_id = $id
                ORDER BY a.assessor_role, a.date DESC, a.entered_at DESC""",
            p,
        ),
        "evidence": _df(
            con,
            """SELECT e.* FROM current_evidence e
                JOIN current_links l USING (evidence_id)
                WHERE l.rec_id = $id ORDER BY e.date, e.evidence_id""",
            p,
        ),
    }


TIMELINE_ROWS = 2_000  # the most recent items a timeline shows; the views say when it is cut


def evidence_timeline(con, f: Filters, limit: int = TIMELINE_ROWS) -> pd.DataFrame:
    """Current evidence bearing on the selection (the `limit` most recent), oldest first, with
    the selected ids it touches and `total`, the number before the cut."""
    cte, params = _selection(f)
    params["limit"] = limit
    sql = f"""{cte},
    matched AS (
        SELECT e.evidence_id, e.date, e.date_precision, e.role, e.actor, e.action_type,
               e.direction, e.summary, e.source_title, e.source_url,
               list_sort(list(l.rec_id)) AS rec_ids, count(*) AS recommendations
        FROM current_evidence e JOIN current_links l USING (evidence_id)
        JOIN sel ON sel.rec_id = l.rec_id
        GROUP BY ALL)
    SELECT *, (SELECT count(*) FROM matched) AS total FROM (
        SELECT * FROM matched ORDER BY date DESC, evidence_id DESC LIMIT $limit)
    ORDER BY date, evidence_id"""
    return _df(con, sql, params)


def assessment_timeline(con, f: Filters, limit: int = TIMELINE_ROWS) -> pd.DataFrame:
    """Current assessments of the selection (the `limit` most recent), oldest first, with
    `total`, the number before the cut."""
    cte, params = _selection(f)
    params["limit"] = limit
    sql = f"""{cte},
    matched AS (
        SELECT a.assessment_id, a.rec_id, sel.paragraph, sel.cycle, a.status, a.assessor_role,
               a.assessor_org, a.date, a.rationale, a.evidence_url, a.source
        FROM current_assessments a JOIN sel USING (rec_id))
    SELECT *, (SELECT count(*) FROM matched) AS total FROM (
        SELECT * FROM matched ORDER BY date DESC, assessment_id DESC LIMIT $limit)
    ORDER BY date, assessment_id"""
    return _df(con, sql, params)


def recent_changes(con, f: Filters, limit: int = 5) -> pd.DataFrame:
    """The latest dated evidence and assessments on the selection, newest first."""
    cte, params = _selection(f)
    params["limit"] = limit
    sql = f"""{cte},
    ev AS (SELECT 'evidence' AS kind, e.date, e.date_precision, e.role, e.direction AS what,
                  e.summary AS detail, e.source_url AS link, e.entered_at
           FROM current_evidence e
           WHERE e.evidence_id IN (SELECT evidence_id FROM current_links
                                   WHERE rec_id IN (SELECT rec_id FROM sel))),
    asm AS (SELECT 'assessment' AS kind, a.date, 'day' AS date_precision, a.assessor_role AS role,
                   a.status AS what, a.rec_id || ': ' || coalesce(a.rationale, '') AS detail,
                   a.evidence_url AS link, a.entered_at
            FROM current_assessments a WHERE a.rec_id IN (SELECT rec_id FROM sel))
    SELECT * FROM (SELECT * FROM ev UNION ALL SELECT * FROM asm)
    ORDER BY date DESC, entered_at DESC NULLS LAST LIMIT $limit"""
    return _df(con, sql, params)


def coverage(con) -> pd.DataFrame:
    """Per cycle: the official totals beside what the store holds."""
    # Count per cycle first, then join: no count(DISTINCT ...) over recommendations x States.
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
    return _df(con, sql, {})


def role_activity(con, f: Filters) -> pd.DataFrame:
    """Per stakeholder role: evidence and assessments recorded on the selection, and how many
    supported recommendations they cover."""
    cte, params = _selection(f)
    params["all_roles"] = list(ROLES)
    sql = f"""{cte},
    roles AS (SELECT unnest($all_roles) AS role),
    ev AS (SELECT e.role, e.evidence_id, l.rec_id FROM current_evidence e
           JOIN current_links l USING (evidence_id) JOIN sel USING (rec_id)),
    asm AS (SELECT a.assessor_role AS role, a.assessment_id, a.rec_id
            FROM current_assessments a JOIN sel USING (rec_id)),
    covered AS (SELECT role, rec_id FROM ev UNION SELECT role, rec_id FROM asm)
    SELECT roles.role,
        (SELECT count(DISTINCT evidence_id) FROM ev WHERE ev.role = roles.role) AS evidence,
        (SELECT count(*) FROM asm WHERE asm.role = roles.role) AS assessments,
        (SELECT count(DISTINCT c.rec_id) FROM covered c JOIN sel USING (rec_id)
          WHERE c.role = roles.role AND sel.response = 'supported') AS supported_covered
    FROM roles ORDER BY list_position($all_roles, roles.role)"""
    return _df(con, sql, params)


def disagreements(con, f: Filters, first: str = "government", second: str = "civil_society"):
    """Selected recommendations where two roles' latest statuses differ."""
    cte, params = _selection(f)
    params.update(first=first, second=second)
    sql = f"""{cte}
    SELECT sel.rec_id, sel.paragraph, sel.text,
           a.status AS first_status, a.assessor_org AS first_org,
           b.status AS second_status, b.assessor_org AS second_org
    FROM sel
    JOIN latest_status a ON a.rec_id = sel.rec_id AND a.assessor_role = $first
    JOIN latest_status b ON b.rec_id = sel.rec_id AND b.assessor_role = $second
    WHERE a.status <> b.status ORDER BY sel.cycle, sel.sort_key"""
    return _df(con, sql, params)


def states_present(con) -> pd.DataFrame:
    """Recommending States in the store (for pickers): iso3, name, recommendations."""
    sql = """SELECT rs.state_iso3 AS iso3, coalesce(st.name, rs.state_iso3) AS name,
           count(DISTINCT rs.rec_id) AS recommendations
    FROM recommendation_states rs LEFT JOIN states st ON st.iso3 = rs.state_iso3
    GROUP BY ALL ORDER BY name"""
    return _df(con, sql, {})


def cycles_present(con) -> list[int]:
    rows = con.cursor().execute("SELECT DISTINCT cycle FROM recommendations ORDER BY 1").fetchall()
    return [int(r[0]) for r in rows]


# -- integrity (used by `python -m upr_data check`) ------------------------------------------------

# (what is wrong, a query returning the offending keys)
INTEGRITY = [
    (
        "recommendation ids repeat",
        "SELECT rec_id FROM recommendations GROUP BY 1 HAVING count(*) > 1",
    ),
    (
        "recommendation of an unknown cycle",
        "SELECT rec_id FROM recommendations r WHERE NOT EXISTS "
        "(SELECT 1 FROM cycles c WHERE c.sur = r.sur AND c.cycle = r.cycle)",
    ),
    (
        "recommendation with no recommending State",
        "SELECT rec_id FROM recommendations WHERE rec_id NOT IN "
        "(SELECT rec_id FROM recommendation_states)",
    ),
    (
        "recommendation without exactly one action category",
        "SELECT rec_id FROM recommendations r WHERE (SELECT count(*) FROM effective_tags t "
        "WHERE t.rec_id = r.rec_id AND t.scheme = 'action_category') <> 1",
    ),
    (
        "current response differs from the last position in its history",
        "SELECT r.rec_id FROM recommendations r LEFT JOIN (SELECT rec_id, arg_max(response, seq) "
        "AS last FROM response_history GROUP BY 1) h USING (rec_id) "
        "WHERE h.last IS DISTINCT FROM r.response",
    ),
    (
        "State row of an unknown recommendation",
        "SELECT rec_id FROM recommendation_states WHERE rec_id NOT IN "
        "(SELECT rec_id FROM recommendations)",
    ),
    (
        "recommending State missing from the States table",
        "SELECT DISTINCT state_iso3 FROM recommendation_states WHERE state_iso3 NOT IN "
        "(SELECT iso3 FROM states)",
    ),
    (
        "response history of an unknown recommendation",
        "SELECT rec_id FROM response_history "
        "WHERE rec_id NOT IN (SELECT rec_id FROM recommendations)",
    ),
    (
        "tag of an unknown recommendation",
        "SELECT rec_id FROM tags WHERE rec_id NOT IN (SELECT rec_id FROM recommendations)",
    ),
    (
        "assessment of an unknown recommendation",
        "SELECT assessment_id FROM assessments WHERE rec_id NOT IN "
        "(SELECT rec_id FROM recommendations)",
    ),
    (
        "assessment ids repeat",
        "SELECT assessment_id FROM assessments GROUP BY 1 HAVING count(*) > 1",
    ),
    (
        "assessment supersedes an unknown assessment",
        "SELECT assessment_id FROM assessments WHERE supersedes IS NOT NULL AND supersedes NOT IN "
        "(SELECT assessment_id FROM assessments)",
    ),
    ("evidence ids repeat", "SELECT evidence_id FROM evidence GROUP BY 1 HAVING count(*) > 1"),
    (
        "evidence supersedes unknown evidence",
        "SELECT evidence_id FROM evidence WHERE supersedes IS NOT NULL AND supersedes NOT IN "
        "(SELECT evidence_id FROM evidence)",
    ),
    (
        "evidence link to unknown evidence",
        "SELECT evidence_id FROM evidence_links WHERE evidence_id NOT IN "
        "(SELECT evidence_id FROM evidence)",
    ),
    (
        "evidence link to an unknown recommendation",
        "SELECT rec_id FROM evidence_links "
        "WHERE rec_id NOT IN (SELECT rec_id FROM recommendations)",
    ),
    (
        "evidence linked to no recommendation",
        "SELECT evidence_id FROM evidence WHERE evidence_id NOT IN "
        "(SELECT evidence_id FROM evidence_links)",
    ),
]

# (table, column, allowed values)
VOCABULARIES = [
    ("recommendations", "response", list(schema.RESPONSES)),
    ("response_history", "response", list(schema.RESPONSES)),
    ("assessments", "status", list(schema.STATUSES)),
    ("assessments", "assessor_role", list(schema.ROLES)),
    ("evidence", "role", list(schema.ROLES)),
    ("evidence", "direction", list(schema.DIRECTIONS)),
    ("evidence", "action_type", list(schema.ACTION_TYPES)),
    ("evidence", "date_precision", list(schema.DATE_PRECISIONS)),
    ("tags", "provenance", list(schema.PROVENANCES)),
    ("states", "regional_group", list(schema.REGIONAL_GROUPS)),
    ("recommendation_states", "regional_group", list(schema.REGIONAL_GROUPS)),
]


def integrity_problems(con, sample: int = 5) -> list[str]:
    problems = []
    for what, sql in INTEGRITY:
        keys = [str(r[0]) for r in con.cursor().execute(sql).fetchall()]
        if keys:
            shown = ", ".join(keys[:sample]) + (" …" if len(keys) > sample else "")
            problems.append(f"{what}: {len(keys)} ({shown})")
    for table, column, allowed in VOCABULARIES:
        # Identifiers come from the constant list above, never from input.
        sql = (
            f"SELECT DISTINCT {column} FROM {table} "
            f"WHERE {column} IS NULL OR NOT list_contains($allowed, {column})"
        )
        bad = [str(r[0]) for r in con.cursor().execute(sql, {"allowed": allowed}).fetchall()]
        if bad:
            problems.append(f"{table}.{column} has values outside its vocabulary: {', '.join(bad)}")
    return problems


def tag_codes(con) -> pd.DataFrame:
    return _df(con, "SELECT DISTINCT scheme, code FROM tags ORDER BY 1, 2", {})


def rec_ids(con) -> list[str]:
    rows = (
        con.cursor()
        .execute("SELECT rec_id FROM recommendations ORDER BY sur, cycle, sort_key")
        .fetchall()
    )
    return [r[0] for r in rows]
