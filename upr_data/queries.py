"""Every SQL statement of the product: DuckDB over the store, always with bound parameters.

`connect(store)` loads the store's tables into an in-memory DuckDB database once per store
version, with derived tables (current assessments and evidence, latest status per role) and the
"facts" the views filter and count (see below); each query function takes a `Filters` and returns
a small DataFrame. A user's value only ever reaches SQL as a parameter; the fragments below are
fixed text chosen by which filters are set, and the identifiers in them are the schema's
constants or integers the store assigned.

Counting basis: "paragraphs" counts recommendations as the UN numbers them; "states" counts one
per recommending State of each paragraph (a clustered paragraph of five States counts five).
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import schema, settings, store
from .filters import Filters, is_khmer, label_matches
from .ingest.current import current_table, reconciled_in

BASES = ("paragraphs", "states")
MAX_ROWS = 5_000  # row cap of list queries; the views say when it is reached
ROLES = tuple(schema.ROLES)

# Per (recommendation, scheme) the tags of the highest-ranking provenance count: a curator's
# replace the official and classifier ones, official ones (e.g. UPR Info's action category)
# replace the classifier's; the others stay in `tags` underneath. A table while `connect` builds
# the facts from it, then a view (the facts hold what the views need; 400 MB less at 1M).
EFFECTIVE_TAGS = """SELECT * EXCLUDE (rank, best) FROM (
       SELECT t.*, CASE t.provenance WHEN 'curator' THEN 0 WHEN 'official' THEN 1 ELSE 2 END
                   AS rank,
              min(rank) OVER (PARTITION BY t.rec_id, t.scheme) AS best
       FROM tags t)
       WHERE rank = best"""

DERIVED = [
    f"CREATE OR REPLACE TABLE effective_tags AS {EFFECTIVE_TAGS}",
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
    # Numbered (`eid`) in id order: a page of evidence is fetched by an integer key.
    """CREATE OR REPLACE TABLE current_evidence AS
       SELECT (row_number() OVER (ORDER BY e.evidence_id))::INTEGER AS eid, e.* FROM evidence e
       WHERE e.evidence_id NOT IN (
           SELECT supersedes FROM evidence WHERE supersedes IS NOT NULL)
       ORDER BY eid""",
    # One row per (item, recommendation), with why the item bears on it (the first reason given).
    """CREATE OR REPLACE TABLE current_links AS
       SELECT l.evidence_id, l.rec_id, min(l.reason) AS reason FROM evidence_links l
       JOIN current_evidence e USING (evidence_id)
       GROUP BY l.evidence_id, l.rec_id""",
    # Small integers for the values the views group by (grouping on them is ~3x faster).
    """CREATE OR REPLACE TABLE value_codes AS
       SELECT kind, value, (row_number() OVER (PARTITION BY kind ORDER BY value))::USMALLINT
                           AS code
       FROM (SELECT DISTINCT 'response' AS kind, response AS value FROM recommendations
             UNION SELECT DISTINCT 'status', status FROM latest_status
             UNION SELECT DISTINCT 'state', state_iso3 FROM recommendation_states
             UNION SELECT DISTINCT 'region', regional_group FROM recommendation_states)
       WHERE value IS NOT NULL""",
    # Bit of each code of the schemes the filters pick from (see the facts below).
    """CREATE OR REPLACE TABLE tag_bits AS
       SELECT scheme, code, any_value(label) AS label,
              (row_number() OVER (PARTITION BY scheme ORDER BY code) - 1)::INTEGER AS bit
       FROM effective_tags WHERE scheme IN ('theme', 'group', 'action_category')
       GROUP BY scheme, code""",
]

# -- facts: the filter's columns, denormalised -----------------------------------------------------
#
# Every view filters the same way and counts at one of a few grains: recommendations, recommending
# State rows, tags, evidence links, assessments. At 1M recommendations, evaluating the filter
# through joins and IN-subqueries on `rec_id` strings cost 0.3-2 s per view. So `connect` gives each
# grain a "facts" table carrying, beside its own columns, every column the filter tests: an integer
# `rid` (the recommendation's position in (sur, cycle, paragraph) order), cycle, response, the
# evidence flag, a bit mask per tag scheme, the recommending States as bits, the latest status per
# assessor role, and the number of recommending States. Most filters are then a scan of one table
# with no join. What cannot be a column (free text, regional groups, States chosen with groups,
# and codes past a mask's bits) is evaluated once into a small table of matching `rid`s (see
# `_hits`); free text without a space through the table of the texts' words (`text_words`).
# Text in Khmer script is not looked for in the (English) texts: it stands for the themes and
# groups of persons whose Khmer label holds it (`filters.label_matches`), read from `tag_facts`.

MASKED = ("theme", "group", "action_category")  # schemes with a bit mask column
MASK_BITS = 64  # codes of a scheme past this many are filtered through `_hits` instead
# Recommending States as bits too, in this many 64-bit words (the UN has 193 Member States);
# a State past them is filtered through `_hits`.
STATE_WORDS = 4


def _mask(scheme: str) -> str:
    return f"{scheme}_mask"


def _scheme_key(scheme: str) -> int:
    """`tag_facts.sk` of a scheme."""
    return MASKED.index(scheme) + 1


def _fact_columns() -> str:
    """Columns of every facts table; the role and scheme names are the schema's constants."""
    return ", ".join(
        ["f.rid", "f.cycle", "f.rc", "f.has_evidence", "f.assessed", "f.n_states"]
        + [f"f.{_mask(s)}" for s in MASKED]
        + [f"f.st{w}" for w in range(STATE_WORDS)]
        + [f"f.sc_{role}" for role in ROLES]
    )


def _facts() -> list[str]:
    """The statements creating the facts tables (built when called: MASK_BITS and STATE_WORDS
    may be changed)."""
    fact_columns = _fact_columns()
    # Generated column lists: the role and scheme names are the schema's constants.
    masks = ", ".join(
        f"bit_or(CASE WHEN b.bit < {MASK_BITS} THEN 1::UBIGINT << b.bit END) "
        f"FILTER (WHERE t.scheme = '{s}') AS {_mask(s)}"
        for s in MASKED
    )
    latest = ", ".join(
        f"any_value(status) FILTER (WHERE assessor_role = '{role}') AS s_{role}, "
        f"any_value(assessor_org) FILTER (WHERE assessor_role = '{role}') AS o_{role}"
        for role in ROLES
    )
    covered = ", ".join(f"bool_or(role = '{role}') AS cov_{role}" for role in ROLES)
    # Bit (code - 1) % 64 of word (code - 1) // 64 for each recommending State's code.
    state_words = "".join(
        f", coalesce(bit_or(1::UBIGINT << ((sx.code - 1) % 64)) "
        f"FILTER (WHERE (sx.code - 1) // 64 = {w}), 0) AS st{w}"
        for w in range(STATE_WORDS)
    )
    columns = ", ".join(
        [f"coalesce(masks.{_mask(s)}, 0) AS {_mask(s)}" for s in MASKED]
        + [f"coalesce(n.st{w}, 0)::UBIGINT AS st{w}" for w in range(STATE_WORDS)]
        + [f"latest.s_{role}, latest.o_{role}, sc_{role}.code AS sc_{role}" for role in ROLES]
        + [f"coalesce(covered.cov_{role}, false) AS cov_{role}" for role in ROLES]
    )
    status_codes = " ".join(
        f"LEFT JOIN value_codes sc_{role} ON sc_{role}.kind = 'status' "
        f"AND sc_{role}.value = latest.s_{role}"
        for role in ROLES
    )
    return [
        # One row per recommendation: the recommendation itself plus the filter's columns.
        f"""CREATE OR REPLACE TABLE recommendations AS
        WITH masks AS (
            SELECT t.rec_id, {masks}
            FROM effective_tags t JOIN tag_bits b USING (scheme, code) GROUP BY t.rec_id),
        n AS (SELECT rs.rec_id, count(*)::INTEGER AS n_states,
                     string_agg(coalesce(st.name, rs.state_iso3), '; ' ORDER BY rs.state_iso3)
                         AS state_names,
                     string_agg(rs.state_iso3, ';' ORDER BY rs.state_iso3) AS state_codes
                     {state_words}
              FROM recommendation_states rs LEFT JOIN states st ON st.iso3 = rs.state_iso3
              LEFT JOIN value_codes sx ON sx.kind = 'state' AND sx.value = rs.state_iso3
              GROUP BY rs.rec_id),
        -- the listing's columns, ready for any page of it
        listed AS (
            SELECT rec_id, list_sort(list(code) FILTER (WHERE scheme = 'theme')) AS themes,
                   min(code) FILTER (WHERE scheme = 'action_category') AS action_category
            FROM effective_tags GROUP BY rec_id),
        linked AS (SELECT rec_id, count(*) AS n_evidence FROM current_links GROUP BY rec_id),
        ids AS (SELECT rec_id, (row_number() OVER (ORDER BY sur, cycle, sort_key, rec_id)
                                - 1)::INTEGER AS rid FROM recommendations),
        latest AS (SELECT rec_id, {latest} FROM latest_status GROUP BY rec_id),
        covered AS (
            SELECT rec_id, {covered}
            FROM (SELECT e.role, l.rec_id FROM current_evidence e
                  JOIN current_links l USING (evidence_id)
                  UNION ALL SELECT assessor_role, rec_id FROM current_assessments)
            GROUP BY rec_id)
        SELECT ids.rid, r.*, lower(r.text) AS text_lower, rc.code AS rc,
               linked.rec_id IS NOT NULL AS has_evidence,
               latest.rec_id IS NOT NULL AS assessed,
               coalesce(n.n_states, 0) AS n_states, n.state_names, n.state_codes, listed.themes,
               listed.action_category, coalesce(linked.n_evidence, 0) AS n_evidence, {columns}
        FROM recommendations r JOIN ids USING (rec_id)
        LEFT JOIN listed USING (rec_id) LEFT JOIN linked USING (rec_id)
        LEFT JOIN masks USING (rec_id) LEFT JOIN n USING (rec_id)
        LEFT JOIN latest USING (rec_id) LEFT JOIN covered USING (rec_id)
        LEFT JOIN value_codes rc ON rc.kind = 'response' AND rc.value = r.response
        {status_codes}
        ORDER BY ids.rid""",
        f"""CREATE OR REPLACE TABLE state_facts AS
        SELECT rs.state_iso3, rs.regional_group, sx.code AS sx, gx.code AS gx, {fact_columns}
        FROM recommendation_states rs JOIN recommendations f USING (rec_id)
        LEFT JOIN value_codes sx ON sx.kind = 'state' AND sx.value = rs.state_iso3
        LEFT JOIN value_codes gx ON gx.kind = 'region' AND gx.value = rs.regional_group
        ORDER BY f.rid""",
        # The scheme as a small integer (`_scheme_key`): testing it is twice as fast as a name.
        f"""CREATE OR REPLACE TABLE tag_facts AS
        SELECT list_position({list(MASKED)}, t.scheme)::UTINYINT AS sk, b.bit, {fact_columns}
        FROM effective_tags t JOIN tag_bits b USING (scheme, code)
        JOIN recommendations f USING (rec_id)
        ORDER BY sk, b.bit, f.rid""",
        f"""CREATE OR REPLACE TABLE link_facts AS
        SELECT l.evidence_id, e.eid, f.rec_id, e.role AS evidence_role, e.date AS evidence_date,
               e.entered_at AS evidence_entered_at,
               list_position({list(ROLES)}, e.role)::UTINYINT AS er, {fact_columns}
        FROM current_links l JOIN current_evidence e USING (evidence_id)
        JOIN recommendations f USING (rec_id)
        ORDER BY l.evidence_id, f.rid""",
        f"""CREATE OR REPLACE TABLE assessment_facts AS
        SELECT a.*, (row_number() OVER (ORDER BY a.assessment_id))::INTEGER AS aid, f.paragraph,
               list_position({list(ROLES)}, a.assessor_role)::UTINYINT AS ar, {fact_columns}
        FROM current_assessments a JOIN recommendations f USING (rec_id)
        ORDER BY f.rid""",
        # The words of the texts (split at spaces) and the recommendations holding each: what
        # a search without a space matches lies inside one word (see `_text_matches`).
        """CREATE OR REPLACE TABLE text_words AS
        SELECT word, list(rid) AS rids
        FROM (SELECT rid, unnest(string_split(text_lower, ' ')) AS word FROM recommendations)
        GROUP BY word""",
        # What the store holds per cycle does not depend on any filter: counted once.
        """CREATE OR REPLACE TABLE loaded_counts AS
        WITH per_cycle AS (
            SELECT sur, cycle, count(*) AS loaded,
                   count(*) FILTER (WHERE response = 'supported') AS loaded_supported,
                   count(*) FILTER (WHERE response = 'noted') AS loaded_noted,
                   count(*) FILTER (WHERE response = 'partially_supported')
                       AS loaded_partially_supported
            FROM recommendations GROUP BY sur, cycle),
        per_state AS (
            SELECT f.sur, f.cycle, count(DISTINCT rs.state_iso3) AS loaded_states
            FROM recommendation_states rs JOIN recommendations f USING (rec_id) GROUP BY ALL)
        SELECT * FROM per_cycle LEFT JOIN per_state USING (sur, cycle)""",
    ]


def connect(store_dir: Path | str, at: int | None = None) -> duckdb.DuckDBPyConnection:
    """A new in-memory database holding one snapshot of the store (`at`, else the newest)."""
    _version, tables = store.read_tables(store_dir, list(schema.TABLES), at=at)
    mapping = reconciled_in(tables["reconciliations"])
    # One thread while copying the tables in: with two, creating a small table right after the
    # large ones took seconds (at 1M recommendations, `evidence`: 4.4 s instead of 0.1 s).
    con = duckdb.connect(":memory:", config={"threads": 1})
    for name, data in tables.items():
        # An import that changes a position appends a newer row for the same id; one that
        # reconciles a provisional id moves what was recorded against it to the paragraph.
        con.from_arrow(current_table(name, data, mapping)).create(name)
    con.execute("RESET threads")
    derive(con)
    return con


def derive_statements() -> dict[str, str]:
    """{table: the statement making it}, in the order they run (see `derive`)."""
    return {re.search(r"TABLE (\w+)", s).group(1): s for s in DERIVED + _facts()}


def derive(con: duckdb.DuckDBPyConnection) -> None:
    """Build the derived tables and the facts from the store's tables (current rows) in `con`;
    `recommendations` becomes its facts table (the store's columns first)."""
    for statement in derive_statements().values():
        con.execute(statement)
    con.execute("DROP TABLE effective_tags")
    con.execute(f"CREATE VIEW effective_tags AS {EFFECTIVE_TAGS}")


# -- the filter, as SQL ----------------------------------------------------------------------------


class _Memo:
    """Per database: tag bits, status codes, and the `_hits` of recent filters (an LRU)."""

    SIZE = 16

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        rows = con.cursor().execute("SELECT scheme, code, bit FROM tag_bits").fetchall()
        self.bits = {(scheme, code): bit for scheme, code, bit in rows}
        rows = con.cursor().execute("SELECT kind, value, code FROM value_codes ORDER BY ALL")
        self.codes: dict[str, dict[str, int]] = {}
        for kind, value, code in rows.fetchall():
            self.codes.setdefault(kind, {})[value] = code
        self.statuses = self.codes.get("status", {})
        # The number of recommendations (`rid`s run from 0 to it) and whether every cycle fits
        # the bits `by_state` gathers cycles in.
        shape = (
            "SELECT count(*), coalesce(bool_and(cycle BETWEEN 0 AND 63), true) FROM recommendations"
        )
        self.recommendations, self.cycles_fit = con.cursor().execute(shape).fetchone()
        # `rid`s are numbered in (sur, cycle, paragraph) order: each State under review is a range.
        ranges = "SELECT sur, min(rid), max(rid) FROM recommendations GROUP BY sur"
        self.sur_rids = {sur: (lo, hi) for sur, lo, hi in con.cursor().execute(ranges).fetchall()}
        most = "SELECT coalesce(max(n), 1) FROM (SELECT count(*) AS n FROM link_facts GROUP BY eid)"
        self.most_links = con.cursor().execute(most).fetchone()[0]
        self.evidence = con.cursor().execute("SELECT count(*) FROM current_evidence").fetchone()[0]
        self.hits: OrderedDict[tuple, pa.Table] = OrderedDict()
        self.lock = threading.Lock()


_MEMOS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_MEMOS_LOCK = threading.Lock()


def _memo(con) -> _Memo:
    with _MEMOS_LOCK:
        memo = _MEMOS.get(con)
        if memo is None:
            memo = _MEMOS[con] = _Memo(con)
        return memo


def forget_hits(con) -> None:
    """Drop the remembered `_hits` of a database (the benchmark starts every view without them)."""
    memo = _memo(con)
    with memo.lock:
        memo.hits.clear()


@dataclass(frozen=True)
class _Plan:
    """The filter as conditions on the facts tables' columns, plus `hits` when some part of it
    needs the store's other tables (then every query joins the registered table `_hits`)."""

    where: str  # over any facts table's columns
    params: dict
    hits: pa.Table | None
    weight: str  # how many of a recommendation's State rows count, by State (see `_weight`)


def _hits_sql(con, f: Filters, unmasked: list[tuple[str, tuple[int, ...]]]) -> tuple[str, dict]:
    """Recommendations matching the parts of the filter that are not columns of the facts."""
    clauses: list[str] = []
    params: dict = {}
    if f.text:
        clauses.append("r.rid IN (SELECT rid FROM _text)")  # `_text_matches`, registered
    for i, (scheme, bits) in enumerate(unmasked):
        clauses.append(
            f"r.rid IN (SELECT rid FROM tag_facts "
            f"WHERE sk = $scheme_{i} AND list_contains($bits_{i}, bit))"
        )
        params[f"scheme_{i}"] = _scheme_key(scheme)
        params[f"bits_{i}"] = list(bits)
    where = " AND ".join(clauses)
    if not (f.states or f.regions):
        return f"SELECT r.rid, NULL::INTEGER AS w FROM recommendations r WHERE {where}", params
    # A recommendation is selected when one of its States is among the States and one (maybe
    # another) is in the groups; counting by State, only the rows meeting both count.
    tests = []
    if f.states:
        tests.append("list_contains($sx, sx)")
    if f.regions:
        tests.append("list_contains($gx, gx)")
    params.update(_state_params(con, f))
    by_state = f"""SELECT rid, (count(*) FILTER (WHERE {" AND ".join(tests)}))::INTEGER AS w
        FROM state_facts WHERE {" OR ".join(tests)} GROUP BY rid
        HAVING {" AND ".join(f"bool_or({t})" for t in tests)}"""
    if not clauses:
        return by_state, params
    return (
        f"SELECT r.rid, s.w FROM recommendations r JOIN ({by_state}) s USING (rid) WHERE {where}",
        params,
    )


def _label_matches(con, text: str) -> pa.Table:
    """`rid`s tagged with a theme or group of persons whose Khmer label contains `text`."""
    themes, groups = label_matches(text)
    bits = _memo(con).bits
    found = (
        con.cursor()
        .execute(
            """SELECT DISTINCT rid FROM tag_facts
           WHERE (sk = $theme_sk AND list_contains($theme_bits::INTEGER[], bit))
              OR (sk = $group_sk AND list_contains($group_bits::INTEGER[], bit))
           ORDER BY rid""",
            {
                "theme_sk": _scheme_key("theme"),
                "theme_bits": [bits[("theme", c)] for c in themes if ("theme", c) in bits],
                "group_sk": _scheme_key("group"),
                "group_bits": [bits[("group", c)] for c in groups if ("group", c) in bits],
            },
        )
        .fetchnumpy()["rid"]
    )
    return pa.table({"rid": pa.array(found, pa.int32())})


def _text_matches(con, text: str) -> pa.Table:
    """`rid`s whose text contains `text` (either in lower case), or whose paragraph or id it is;
    for Khmer text, see `_label_matches`."""
    if is_khmer(text):
        return _label_matches(con, text)
    cursor = con.cursor()
    # Separate statements: an OR of the equalities with `contains` would scan every paragraph
    # and id too, where alone they are read from the row groups' min/max.
    exact = cursor.execute(
        "SELECT rid FROM recommendations WHERE paragraph = $text OR rec_id = upper($text)",
        {"text": text},
    ).fetchnumpy()["rid"]
    if " " in text:
        found = cursor.execute(
            "SELECT rid FROM recommendations WHERE contains(text_lower, lower($text))",
            {"text": text},
        ).fetchnumpy()["rid"]
    else:
        # Without a space, every match lies inside one word of `text_words`: the words
        # containing it give the recommendations (at 1M: 20 ms instead of 80 for every text).
        lists = cursor.sql(
            "SELECT rids FROM text_words WHERE contains(word, lower($text))",
            params={"text": text},
        ).to_arrow_table()["rids"]
        found = pc.list_flatten(lists).to_numpy()
    # A recommendation can hold several matching words: one row each, in `rid` order.
    seen = np.zeros(_memo(con).recommendations, dtype=bool)
    seen[found] = True
    seen[exact] = True
    return pa.table({"rid": pa.array(np.flatnonzero(seen), pa.int32())})


def _hits(con, f: Filters, unmasked: list) -> pa.Table:
    """Matching `rid`s (and State weights), computed once per filter and database."""
    key = (f.text, f.states, f.regions, tuple(unmasked))
    memo = _memo(con)
    with memo.lock:
        if key in memo.hits:
            memo.hits.move_to_end(key)
            return memo.hits[key]
    text = _text_matches(con, f.text) if f.text else None
    if text is not None and not (f.states or f.regions or unmasked):
        table = text.append_column("w", pa.nulls(text.num_rows, pa.int32()))
    else:
        cursor = con.cursor()
        if text is not None:
            cursor.register("_text", text)
        sql, params = _hits_sql(con, f, unmasked)
        table = cursor.sql(sql, params=params).to_arrow_table()
    with memo.lock:
        memo.hits[key] = table
        while len(memo.hits) > memo.SIZE:
            memo.hits.popitem(last=False)
    return table


def _response_is(con, response: str) -> str:
    """A test of `x.rc` for one response (its code is an integer the store assigned)."""
    code = _memo(con).codes.get("response", {}).get(response)
    return "FALSE" if code is None else f"x.rc = {int(code)}"


def _status_clause(con, f: Filters, params: dict) -> str | None:
    codes = _memo(con).statuses
    roles = [role for role in ROLES if role in f.roles] if f.roles else list(ROLES)
    if f.statuses:
        either = []
        real = [s for s in f.statuses if s != schema.NOT_ASSESSED]
        if real:
            params["statuses"] = [codes[s] for s in real if s in codes]
            either += [f"coalesce(list_contains($statuses, sc_{role}), false)" for role in roles]
        if schema.NOT_ASSESSED in f.statuses:
            nobody = [f"sc_{role} IS NULL" for role in roles] or ["TRUE"]
            either.append("(" + " AND ".join(nobody) + ")")
        return "(" + (" OR ".join(either) or "FALSE") + ")"
    if f.roles:
        return "(" + (" OR ".join(f"sc_{role} IS NOT NULL" for role in roles) or "FALSE") + ")"
    return None


def _plan(con, f: Filters) -> _Plan:
    clauses: list[str] = []
    params: dict = {}
    if f.sur:
        clauses.append("rid BETWEEN $sur_lo AND $sur_hi")
        params["sur_lo"], params["sur_hi"] = _memo(con).sur_rids.get(f.sur, (0, -1))
    if f.cycles:
        clauses.append("list_contains($cycles, cycle)")
        params["cycles"] = list(f.cycles)
    if f.responses:
        clauses.append("list_contains($responses, rc)")
        known = _memo(con).codes.get("response", {})
        params["responses"] = [known[r] for r in f.responses if r in known]
    unmasked = []
    bits = _memo(con).bits
    for attr, scheme in (("themes", "theme"), ("groups", "group"), ("actions", "action_category")):
        codes = getattr(f, attr)
        if not codes:
            continue
        known = [bits[(scheme, c)] for c in codes if (scheme, c) in bits]
        if all(b < MASK_BITS for b in known):
            # Codes the store does not hold add no bit: a filter of only those matches nothing.
            clauses.append(f"({_mask(scheme)} & ${attr}_mask::UBIGINT) <> 0")
            params[f"{attr}_mask"] = sum(1 << b for b in known)
        else:
            unmasked.append((scheme, tuple(sorted(known))))
    status = _status_clause(con, f, params)
    if status:
        clauses.append(status)
    if f.evidence == "with":
        clauses.append("has_evidence")
    elif f.evidence == "without":
        clauses.append("NOT has_evidence")
    # The State and group lists, for `_state_rows` (`_bind` drops them where unused).
    params.update(_state_params(con, f))
    weight, rest = "x.n_states", f
    words = _state_words(con, f)
    if words is not None:
        # Chosen States alone, each with a bit: tested on the facts' State words. A State is
        # credited once per paragraph, so the bits of the chosen ones count its rows that count.
        params.update({f"st{w}": mask for w, mask in words.items()})
        tests = [f"(st{w} & $st{w}::UBIGINT) <> 0" for w in words]
        clauses.append("(" + (" OR ".join(tests) or "FALSE") + ")")
        counts = [f"bit_count(x.st{w} & $st{w}::UBIGINT)" for w in words]
        weight, rest = "(" + (" + ".join(counts) or "0") + ")", replace(f, states=())
    elif f.states or f.regions:
        weight = "h.w"
    hits = None
    if rest.text or rest.states or rest.regions or unmasked:
        hits = _hits(con, rest, unmasked)
    return _Plan(" AND ".join(clauses) or "TRUE", params, hits, weight)


def _state_words(con, f: Filters) -> dict[int, int] | None:
    """{word: mask} of the chosen States when the facts' State words can test them: States
    without groups, each with a bit (one the store does not hold has none and matches nothing)."""
    if not f.states or f.regions:
        return None
    codes = _memo(con).codes.get("state", {})
    bits = [codes[s] - 1 for s in f.states if s in codes]
    if any(b >= 64 * STATE_WORDS for b in bits):
        return None
    words: dict[int, int] = {}
    for b in bits:
        words[b // 64] = words.get(b // 64, 0) | 1 << b % 64
    return words


def _from(plan: _Plan, table: str) -> str:
    """FROM one facts table (alias `x`) restricted to the selection, up to its WHERE."""
    join = "JOIN _hits h USING (rid)" if plan.hits is not None else ""
    return f"FROM {table} x {join} WHERE {plan.where}"


def _weight(plan: _Plan, basis: str) -> str:
    """What one row of a recommendation-grain facts table counts for."""
    if basis not in BASES:
        raise ValueError(f"unknown counting basis {basis!r}")
    if basis == "paragraphs":
        return "1"
    return plan.weight


def _state_rows(f: Filters) -> str:
    """On `state_facts`: with a State or group filter, only the rows of those States count."""
    conditions = []
    if f.states:
        conditions.append("list_contains($sx, x.sx)")
    if f.regions:
        conditions.append("list_contains($gx, x.gx)")
    return "".join(f" AND {c}" for c in conditions)


def _cursor(con, plan: _Plan) -> duckdb.DuckDBPyConnection:
    """A cursor of its own (thread-safe) that sees the plan's `_hits`."""
    cursor = con.cursor()
    if plan.hits is not None:
        cursor.register("_hits", plan.hits)
    return cursor


def _bind(sql: str, given: dict) -> dict:
    """The parameters a statement uses: DuckDB refuses others, and the fragments chosen for a
    filter decide which it uses."""
    return {k: v for k, v in given.items() if re.search(rf"\${k}\b", sql)}


def _run(con, plan: _Plan, sql: str, params: dict | None = None) -> pd.DataFrame:
    return _cursor(con, plan).execute(sql, _bind(sql, {**plan.params, **(params or {})})).df()


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pd.DataFrame:
    return con.cursor().execute(sql, params).df()


def _state_params(con, f: Filters) -> dict:
    """The codes (`state_facts.sx`, `gx`) of the chosen States and groups, for `_state_rows`
    (one the store does not hold has none)."""
    codes = _memo(con).codes
    params = {}
    for name, attr, kind in (("sx", "states", "state"), ("gx", "regions", "region")):
        if getattr(f, attr):
            known = codes.get(kind, {})
            params[name] = [known[v] for v in getattr(f, attr) if v in known]
    return params


# -- queries the views use -------------------------------------------------------------------------


def count(con, f: Filters, basis: str = "paragraphs") -> int:
    plan = _plan(con, f)
    _weight(plan, basis)  # checks the basis
    if basis == "states":
        sql = f"SELECT count(*) {_from(plan, 'state_facts')}{_state_rows(f)}"
        return int(_run(con, plan, sql).iloc[0, 0])
    sql = f"SELECT count(*) {_from(plan, 'recommendations')}"
    return int(_run(con, plan, sql).iloc[0, 0])


def summary(con, f: Filters) -> dict[str, int]:
    """Headline figures for the selection (paragraph counts unless named otherwise)."""
    plan = _plan(con, f)
    responses = ", ".join(
        f"count(*) FILTER (WHERE {_response_is(con, r)}) AS {r}"
        for r in ("supported", "partially_supported", "noted", "pending")
    )
    sql = f"""WITH by_state AS MATERIALIZED (
        SELECT count(DISTINCT x.sx) AS states, count(*) AS rows
        {_from(plan, "state_facts")}{_state_rows(f)})
    SELECT
        count(*) AS recommendations,
        {responses},
        count(*) FILTER (WHERE assessed) AS assessed,
        count(*) FILTER (WHERE has_evidence) AS with_evidence,
        (SELECT states FROM by_state) AS recommending_states,
        (SELECT rows FROM by_state) AS state_recommendations,
        count(DISTINCT cycle) AS cycles
    {_from(plan, "recommendations")}"""
    row = _run(con, plan, sql).iloc[0]
    return {k: int(v) for k, v in row.items()}


def _tag_counts(
    con, f: Filters, scheme: str, dimension: str, role: str | None, basis: str
) -> pd.DataFrame:
    """Per code of a tag scheme and response (and, with a role, that role's latest status): how
    many of the selection carry it, by the counting basis. Ordered by code, response, status."""
    plan = _plan(con, f)
    weight = _weight(plan, basis)
    n = "count(*)" if weight == "1" else f"sum({weight})::BIGINT"
    only = "AND list_contains($only, x.bit)" if scheme == "theme" and f.themes else ""
    if weight != "1":
        only += f" AND {weight} > 0"  # a recommendation none of whose State rows count
    # Grouped by the integer codes, named afterwards.
    status = f"x.sc_{role}" if role in ROLES else "NULL::USMALLINT"
    by_status = f", {status} AS sc" if role else ""
    named_status = f", coalesce(s.value, '{schema.NOT_ASSESSED}') AS status" if role else ""
    status_join = (
        "LEFT JOIN value_codes s ON s.kind = 'status' AND s.code = counts.sc" if role else ""
    )
    sql = f"""WITH counts AS (
        SELECT x.bit, x.rc{by_status}, {n} AS n
        {_from(plan, "tag_facts")} AND x.sk = $sk {only}
        GROUP BY ALL)
    SELECT b.code AS {dimension}, b.label, r.value AS response{named_status}, counts.n
    FROM counts JOIN tag_bits b ON b.scheme = $scheme AND b.bit = counts.bit
    LEFT JOIN value_codes r ON r.kind = 'response' AND r.code = counts.rc
    {status_join}
    ORDER BY ALL"""
    bits = _memo(con).bits
    chosen = [bits[(scheme, c)] for c in f.themes if (scheme, c) in bits]
    params = {"scheme": scheme, "sk": _scheme_key(scheme), **({"only": chosen} if only else {})}
    return _run(con, plan, sql, params)


def by_theme_response(con, f: Filters, basis: str = "paragraphs") -> pd.DataFrame:
    """theme, label, response, n: every theme tag of the selection (only the chosen themes)."""
    return _tag_counts(con, f, "theme", "theme", None, basis)


def by_theme_status(con, f: Filters, role: str, basis: str = "paragraphs") -> pd.DataFrame:
    """theme, label, response, status, n: the latest status by one assessor role per theme."""
    return _tag_counts(con, f, "theme", "theme", role, basis)


def by_action_status(con, f: Filters, role: str, basis: str = "paragraphs") -> pd.DataFrame:
    """action_category, label, response, status, n."""
    return _tag_counts(con, f, "action_category", "action_category", role, basis)


def by_role_status(con, f: Filters, basis: str = "paragraphs") -> pd.DataFrame:
    """role, status, n: each assessor role's latest status on each selected recommendation."""
    plan = _plan(con, f)
    _weight(plan, basis)
    table, rows = ("state_facts", _state_rows(f)) if basis == "states" else ("recommendations", "")
    # Counted per combination of the roles' status codes (at most a few hundred), then per role.
    codes = ", ".join(f"x.sc_{role}" for role in ROLES)  # the schema's constants
    combos = _run(
        con, plan, f"SELECT {codes}, count(*) AS n {_from(plan, table)}{rows} GROUP BY ALL"
    )
    names = {code: value for value, code in _memo(con).statuses.items()}
    parts = []
    for role in ROLES:
        per = combos.groupby(f"sc_{role}", dropna=False)["n"].sum()
        parts += [
            (role, schema.NOT_ASSESSED if pd.isna(code) else names[int(code)], int(n))
            for code, n in per.items()
        ]
    frame = pd.DataFrame(parts, columns=["role", "status", "n"]).astype({"n": "int64"})
    return frame.sort_values(["role", "status"], ignore_index=True)


def by_state(con, f: Filters) -> pd.DataFrame:
    """One row per recommending State in the selection: paragraphs it is credited on, and shares."""
    plan = _plan(con, f)
    # A (recommendation, State) pair is one row of recommendation_states (the build and the
    # importers credit a State once per paragraph), so plain counts suffice. Grouped by the
    # integer codes of State and group, named afterwards. Cycles 0-63 are gathered as bits (a
    # DISTINCT list costs a second grouping), listed afterwards.
    if _memo(con).cycles_fit:
        cycles = "bit_or(1::UBIGINT << x.cycle::UBIGINT) AS cycles"
        listed = "list_filter(range(64), lambda b: (c.cycles >> b) & 1 = 1)::SMALLINT[]"
    else:
        cycles, listed = "list_sort(list(DISTINCT x.cycle)) AS cycles", "c.cycles"
    sql = f"""WITH counts AS (
        SELECT x.sx, x.gx, count(*) AS recommendations,
               count(*) FILTER (WHERE {_response_is(con, "supported")}) AS supported,
               count(*) FILTER (WHERE x.has_evidence) AS with_evidence,
               count(*) FILTER (WHERE x.assessed) AS assessed,
               {cycles}
        {_from(plan, "state_facts")}{_state_rows(f)}
        GROUP BY ALL)
    SELECT s.value AS iso3, coalesce(st.name, s.value) AS name, g.value AS regional_group,
           c.recommendations, c.supported, c.with_evidence, c.assessed,
           {listed} AS cycles
    FROM counts c JOIN value_codes s ON s.kind = 'state' AND s.code = c.sx
    LEFT JOIN value_codes g ON g.kind = 'region' AND g.code = c.gx
    LEFT JOIN states st ON st.iso3 = s.value
    ORDER BY c.recommendations DESC, name"""
    frame = _run(con, plan, sql)
    frame["share_supported"] = frame["supported"] / frame["recommendations"]
    frame["share_with_evidence"] = frame["with_evidence"] / frame["recommendations"]
    return frame


def by_region(con, f: Filters) -> pd.DataFrame:
    """regional_group, states, recommendations (by State), supported, share_supported."""
    plan = _plan(con, f)
    sql = f"""WITH counts AS (
        SELECT x.gx, count(DISTINCT x.sx) AS states, count(*) AS recommendations,
               count(*) FILTER (WHERE {_response_is(con, "supported")}) AS supported
        {_from(plan, "state_facts")}{_state_rows(f)}
        GROUP BY 1)
    SELECT g.value AS regional_group, c.states, c.recommendations, c.supported
    FROM counts c LEFT JOIN value_codes g ON g.kind = 'region' AND g.code = c.gx
    ORDER BY c.recommendations DESC"""
    frame = _run(con, plan, sql)
    frame["share_supported"] = frame["supported"] / frame["recommendations"]
    return frame


def _listing(sel: str) -> str:
    """One row per recommendation of the `sel` query (over `recommendations x`): States, themes,
    latest status per role (all columns `connect` prepared). Only the page's `rid`s are sorted;
    its rows are fetched by `rid` afterwards (the table is stored in `rid` order, so DuckDB
    skips the blocks outside the page)."""
    return f"""WITH ids AS ({sel} ORDER BY x.rid LIMIT $limit)
    SELECT r.rec_id, r.cycle, r.paragraph, r.text, r.response, r.state_names AS states,
           r.state_codes,
           r.themes, r.action_category, r.n_evidence AS evidence,
           {", ".join(f"r.s_{role} AS status_{role}" for role in ROLES)}
    FROM recommendations r SEMI JOIN ids USING (rid)
    ORDER BY r.rid"""


def recommendations(con, f: Filters, limit: int = MAX_ROWS) -> pd.DataFrame:
    """The filtered list: one row per paragraph with States, themes and latest status per role."""
    plan = _plan(con, f)
    sel = f"SELECT x.rid {_from(plan, 'recommendations')}"
    return _run(con, plan, _listing(sel), {"limit": limit})


def recommendations_by_id(con, rec_ids: list[str], limit: int = MAX_ROWS) -> pd.DataFrame:
    """The same listing for given ids (e.g. every cycle's link of a recurring issue)."""
    sel = "SELECT x.rid FROM recommendations x WHERE list_contains($ids, x.rec_id)"
    return _df(con, _listing(sel), {"ids": list(rec_ids), "limit": limit})


def recommendation(con, rec_id: str) -> dict[str, pd.DataFrame] | None:
    """One recommendation in full: itself, States, response history, tags, assessments, evidence."""
    p = {"id": rec_id}
    columns = ", ".join(list(schema.TABLES["recommendations"].names) + ["has_evidence", "assessed"])
    head = _df(con, f"SELECT {columns} FROM recommendations WHERE rec_id = $id", p)
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
            """SELECT e.* EXCLUDE (eid), l.reason FROM current_evidence e
                JOIN current_links l USING (evidence_id)
                WHERE l.rec_id = $id ORDER BY e.date, e.evidence_id""",
            p,
        ),
    }


TIMELINE_ROWS = 2_000  # the most recent items a timeline shows; the views say when it is cut


def evidence_timeline(con, f: Filters, limit: int = TIMELINE_ROWS) -> pd.DataFrame:
    """Current evidence bearing on the selection (the `limit` most recent), oldest first, with
    the selected ids it touches and `total`, the number before the cut."""
    plan = _plan(con, f)
    # The page of evidence is taken first; its details and lists of ids are joined for it only.
    sql = f"""WITH matched AS MATERIALIZED (
        SELECT x.eid, max(x.evidence_date) AS date, count(*) AS recommendations
        {_from(plan, "link_facts")} GROUP BY x.eid),
    page AS (SELECT * FROM matched ORDER BY date DESC, eid DESC LIMIT $limit),
    ids AS (SELECT x.eid, list_sort(list(x.rec_id)) AS rec_ids
            {_from(plan, "link_facts")} AND x.eid IN (SELECT eid FROM page) GROUP BY x.eid)
    SELECT e.evidence_id, e.date, e.date_precision, e.role, e.actor, e.action_type,
           e.direction, e.summary, e.source_title, e.source_url, e.source_kind, e.publisher,
           ids.rec_ids, page.recommendations, (SELECT count(*) FROM matched) AS total
    FROM page JOIN ids USING (eid) JOIN current_evidence e USING (eid)
    ORDER BY e.date, e.evidence_id"""
    return _run(con, plan, sql, {"limit": limit})


def evidence_by_theme(con, f: Filters) -> pd.DataFrame:
    """theme, label, year, n, progress, regression, mixed, no_change: current evidence items
    bearing on the selection, per theme of the selected recommendations they bear on (only the
    chosen themes) and year of the item. An item counts once per theme, however many of the
    theme's recommendations it bears on."""
    plan = _plan(con, f)
    only = "AND list_contains($only, t.bit)" if f.themes else ""
    directions = ", ".join(
        f"count(*) FILTER (WHERE e.direction = '{d}') AS {d}" for d in schema.DIRECTIONS
    )  # the schema's constants, never input
    sql = f"""WITH links AS MATERIALIZED (SELECT DISTINCT x.eid, x.rid {_from(plan, "link_facts")}),
    pairs AS (
        SELECT DISTINCT t.bit, l.eid FROM links l
        JOIN tag_facts t ON t.rid = l.rid AND t.sk = $sk {only})
    SELECT b.code AS theme, b.label, year(e.date)::INTEGER AS year, count(*) AS n, {directions}
    FROM pairs p JOIN tag_bits b ON b.scheme = 'theme' AND b.bit = p.bit
    JOIN current_evidence e USING (eid)
    GROUP BY ALL ORDER BY theme, year"""
    bits = _memo(con).bits
    chosen = [bits[("theme", c)] for c in f.themes if ("theme", c) in bits]
    params = {"sk": _scheme_key("theme"), **({"only": chosen} if only else {})}
    return _run(con, plan, sql, params)


def evidence_by_kind(con, f: Filters) -> pd.DataFrame:
    """source_kind, year, n, progress, regression, mixed, no_change: current evidence items
    bearing on the selection by the kind of source they were read from and year. An item
    without a kind of source (entered before it was asked for) counts under "not_recorded"."""
    plan = _plan(con, f)
    directions = ", ".join(
        f"count(*) FILTER (WHERE e.direction = '{d}') AS {d}" for d in schema.DIRECTIONS
    )
    sql = f"""WITH items AS (SELECT DISTINCT x.eid {_from(plan, "link_facts")})
    SELECT coalesce(nullif(trim(e.source_kind), ''), '{schema.KIND_NOT_RECORDED}') AS source_kind,
           year(e.date)::INTEGER AS year, count(*) AS n, {directions}
    FROM current_evidence e SEMI JOIN items USING (eid)
    GROUP BY ALL ORDER BY source_kind, year"""
    return _run(con, plan, sql)


def evidence_recency(con, f: Filters, since: date) -> dict:
    """How much evidence bears on the selection and how recent it is: `items`, `with_evidence`
    (recommendations), `latest` (the newest item's date, or None) and its `latest_precision`,
    and `with_recent`, the recommendations with an item dated on or after `since`."""
    plan = _plan(con, f)
    sql = f"""WITH links AS MATERIALIZED (
        SELECT x.eid, x.rid, x.evidence_date AS date {_from(plan, "link_facts")}),
    newest AS (
        SELECT e.date, e.date_precision FROM current_evidence e SEMI JOIN links USING (eid)
        ORDER BY e.date DESC, list_position(['day', 'month', 'year'], e.date_precision),
                 e.evidence_id
        LIMIT 1)
    SELECT count(DISTINCT eid) AS items, count(DISTINCT rid) AS with_evidence,
           count(DISTINCT rid) FILTER (WHERE date >= $since) AS with_recent,
           (SELECT date FROM newest) AS latest,
           (SELECT date_precision FROM newest) AS latest_precision
    FROM links"""
    row = _run(con, plan, sql, {"since": since}).iloc[0]
    latest = row["latest"]
    return {
        "items": int(row["items"]),
        "with_evidence": int(row["with_evidence"]),
        "with_recent": int(row["with_recent"]),
        "latest": None if pd.isna(latest) else pd.Timestamp(latest).date(),
        "latest_precision": None if pd.isna(latest) else str(row["latest_precision"]),
    }


def assessment_timeline(con, f: Filters, limit: int = TIMELINE_ROWS) -> pd.DataFrame:
    """Current assessments of the selection (the `limit` most recent), oldest first, with
    `total`, the number before the cut."""
    plan = _plan(con, f)
    # `aid` numbers the assessments in id order, so it orders them as their ids would.
    sql = f"""WITH matched AS MATERIALIZED (
        SELECT x.aid, x.date {_from(plan, "assessment_facts")}),
    page AS (SELECT aid FROM matched ORDER BY date DESC, aid DESC LIMIT $limit)
    SELECT x.assessment_id, x.rec_id, x.paragraph, x.cycle, x.status, x.assessor_role,
           x.assessor_org, x.date, coalesce(x.date_precision, 'day') AS date_precision,
           x.rationale, x.evidence_url, x.source, x.source_location,
           (SELECT count(*) FROM matched) AS total
    FROM assessment_facts x SEMI JOIN page USING (aid)
    ORDER BY x.date, x.assessment_id"""
    return _run(con, plan, sql, {"limit": limit})


def recent_changes(con, f: Filters, limit: int = 5) -> pd.DataFrame:
    """The latest dated evidence and assessments on the selection, newest first."""
    plan = _plan(con, f)
    # Each side's newest `limit` first; the details are joined for those only. An evidence
    # item's links share its date, so in link order its rows are adjacent: the newest `limit`
    # items are among the first `limit` x (most links of one item) rows, with no grouping.
    sql = f"""WITH
    ev_rows AS (
        SELECT x.eid, x.evidence_date AS date, x.evidence_entered_at AS entered_at
        {_from(plan, "link_facts")}
        ORDER BY date DESC, entered_at DESC NULLS LAST, x.eid DESC LIMIT $rows),
    ev_page AS (
        SELECT DISTINCT * FROM ev_rows
        ORDER BY date DESC, entered_at DESC NULLS LAST, eid DESC LIMIT $limit),
    ev AS (SELECT 'evidence' AS kind, e.date, e.date_precision, e.role, e.direction AS what,
                  e.summary AS detail, e.publisher AS published_by, e.source_url AS link,
                  e.entered_at
           FROM current_evidence e SEMI JOIN ev_page USING (eid)),
    asm_page AS (
        SELECT x.aid {_from(plan, "assessment_facts")}
        ORDER BY x.date DESC, x.entered_at DESC NULLS LAST, x.aid DESC LIMIT $limit),
    asm AS (SELECT 'assessment' AS kind, x.date,
                   coalesce(x.date_precision, 'day') AS date_precision,
                   x.assessor_role AS role, x.status AS what,
                   x.rec_id || ': ' || coalesce(x.rationale, '') AS detail,
                   x.assessor_org AS published_by, x.evidence_url AS link, x.entered_at
            FROM assessment_facts x SEMI JOIN asm_page USING (aid))
    SELECT * FROM (SELECT * FROM ev UNION ALL SELECT * FROM asm)
    ORDER BY date DESC, entered_at DESC NULLS LAST LIMIT $limit"""
    rows = limit * _memo(con).most_links
    return _run(con, plan, sql, {"limit": limit, "rows": rows})


def coverage(con, sur: str | None = None) -> pd.DataFrame:
    """Per cycle (of one State under review, or of all): the official totals beside what the
    store holds."""
    sql = """SELECT c.sur, c.cycle, c.review_date, c.wg_report, c.official_recommendations,
           c.official_supported, c.official_noted, c.official_recommending_states,
           coalesce(l.loaded, 0) AS loaded, coalesce(l.loaded_supported, 0) AS loaded_supported,
           coalesce(l.loaded_noted, 0) AS loaded_noted,
           coalesce(l.loaded_partially_supported, 0) AS loaded_partially_supported,
           coalesce(l.loaded_states, 0) AS loaded_states
    FROM (SELECT DISTINCT ON (sur, cycle) * FROM cycles ORDER BY sur, cycle) c
    LEFT JOIN loaded_counts l USING (sur, cycle)
    WHERE $sur IS NULL OR c.sur = $sur
    ORDER BY c.sur, c.cycle"""
    return _df(con, sql, {"sur": sur or None})


def reviewed_state(con, f: Filters) -> str:
    """The State under review a view shows: the filter's, else the store's (the project's
    default where the store holds several)."""
    if f.sur:
        return f.sur
    held = list(_memo(con).sur_rids)
    return (
        settings.STATE_UNDER_REVIEW
        if settings.STATE_UNDER_REVIEW in held or not held
        else min(held)
    )


def surs_present(con) -> pd.DataFrame:
    """States under review the store holds recommendations to: sur, recommendations."""
    sql = """SELECT sur, count(*) AS recommendations FROM recommendations
    GROUP BY sur ORDER BY sur"""
    return _df(con, sql, {})


def role_activity(con, f: Filters) -> pd.DataFrame:
    """Per stakeholder role: evidence and assessments recorded on the selection, and how many
    supported recommendations they cover."""
    plan = _plan(con, f)
    # The role codes are the schema's constants, never input. Roles are grouped by their
    # position in ROLES (`er`, `ar`), and an item's links are counted once through a bitmap of
    # evidence numbers (no hash of every (role, item) pair).
    covered = ", ".join(f"count(*) FILTER (WHERE x.cov_{role}) AS {role}" for role in ROLES)
    items = max(_memo(con).evidence, 1)
    sql = f"""WITH
    ev AS (SELECT x.er AS k, bit_count(bitstring_agg(x.eid, 1, {int(items)})) AS evidence
           {_from(plan, "link_facts")} GROUP BY 1),
    asm AS (SELECT x.ar AS k, count(*) AS assessments
            {_from(plan, "assessment_facts")} GROUP BY 1),
    cov AS (UNPIVOT (SELECT {covered} {_from(plan, "recommendations")}
                     AND {_response_is(con, "supported")})
            ON COLUMNS(*) INTO NAME role VALUE supported_covered),
    roles AS (SELECT unnest($all_roles) AS role, generate_subscripts($all_roles, 1) AS k)
    SELECT roles.role, coalesce(ev.evidence, 0) AS evidence,
           coalesce(asm.assessments, 0) AS assessments,
           coalesce(cov.supported_covered, 0) AS supported_covered
    FROM roles LEFT JOIN ev USING (k) LEFT JOIN asm USING (k) LEFT JOIN cov USING (role)
    ORDER BY roles.k"""
    return _run(con, plan, sql, {"all_roles": list(ROLES)})


def disagreements(
    con, f: Filters, first: str = "government", second: str = "civil_society",
    limit: int = MAX_ROWS,
) -> pd.DataFrame:  # fmt: skip
    """Selected recommendations where two roles' latest statuses differ: the first `limit` in
    paragraph order, with `total`, the number before the cut."""
    plan = _plan(con, f)
    status, org, code = (
        [f"x.{c}_{role}" if role in ROLES else "NULL" for role in (first, second)]
        for c in ("s", "o", "sc")
    )
    sql = f"""WITH differ AS MATERIALIZED (
        SELECT x.rid {_from(plan, "recommendations")} AND {code[0]} <> {code[1]}),
    page AS (SELECT rid FROM differ ORDER BY rid LIMIT $limit)
    SELECT x.rec_id, x.paragraph, x.text, {status[0]} AS first_status,
           {org[0]} AS first_org, {status[1]} AS second_status, {org[1]} AS second_org,
           (SELECT count(*) FROM differ) AS total
    FROM recommendations x SEMI JOIN page USING (rid)
    ORDER BY x.rid"""
    return _run(con, plan, sql, {"limit": limit})


def states_present(con, sur: str | None = None) -> pd.DataFrame:
    """Recommending States in the store (for pickers): iso3, name, recommendations."""
    sql = """SELECT rs.state_iso3 AS iso3, coalesce(st.name, rs.state_iso3) AS name,
           count(DISTINCT rs.rec_id) AS recommendations
    FROM recommendation_states rs LEFT JOIN states st ON st.iso3 = rs.state_iso3
    WHERE $sur IS NULL OR rs.rec_id IN (SELECT rec_id FROM recommendations WHERE sur = $sur)
    GROUP BY ALL ORDER BY name"""
    return _df(con, sql, {"sur": sur or None})


def cycles_present(con, sur: str | None = None) -> list[int]:
    sql = "SELECT DISTINCT cycle FROM recommendations WHERE $sur IS NULL OR sur = $sur ORDER BY 1"
    rows = con.cursor().execute(sql, {"sur": sur or None}).fetchall()
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
        # the State filter and counts by State assume it (see `_plan`)
        "State credited twice in one paragraph",
        "SELECT rec_id || ' ' || state_iso3 FROM recommendation_states GROUP BY rec_id, state_iso3 "
        "HAVING count(*) > 1",
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

# What every current evidence item must carry to count as sourced: (what is missing, a query
# returning the offending ids, `$today` bound). Superseded rows are left out: rows are never
# edited, so the correction that completes an item replaces it. (An item with no link at all is
# in INTEGRITY above.)
EVIDENCE_REQUIRED = [
    (
        "evidence without a source URL (an http(s) link)",
        "SELECT evidence_id FROM current_evidence "
        "WHERE NOT regexp_full_match(coalesce(source_url, ''), 'https?://\\S+')",
    ),
    ("evidence without a date", "SELECT evidence_id FROM current_evidence WHERE date IS NULL"),
    (
        "evidence dated in the future",
        "SELECT evidence_id FROM current_evidence WHERE date > $today",
    ),
    (
        # `$editors` false: only the rows the build loaded from the sources (see `check`)
        "evidence without a kind of source (government, un, civil_society or media)",
        "SELECT evidence_id FROM current_evidence WHERE nullif(trim(source_kind), '') IS NULL "
        "AND ($editors OR starts_with(coalesce(entered_by, ''), $from_sources))",
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
# The same, for columns that may be empty (a missing kind of source is EVIDENCE_REQUIRED's).
OPTIONAL_VOCABULARIES = [
    ("evidence", "source_kind", list(schema.SOURCE_KINDS)),
    ("assessments", "date_precision", list(schema.DATE_PRECISIONS)),
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
    for table, column, allowed in OPTIONAL_VOCABULARIES:
        sql = (
            f"SELECT DISTINCT {column} FROM {table} "
            f"WHERE nullif(trim({column}), '') IS NOT NULL "
            f"AND NOT list_contains($allowed, {column})"
        )
        bad = [str(r[0]) for r in con.cursor().execute(sql, {"allowed": allowed}).fetchall()]
        if bad:
            problems.append(f"{table}.{column} has values outside its vocabulary: {', '.join(bad)}")
    return problems


def evidence_problems(con, today: date, editors: bool = True, sample: int = 5) -> list[str]:
    """Current evidence missing what makes it sourced (EVIDENCE_REQUIRED), or dated after
    `today`; without `editors`, a missing kind of source only counts on rows from the sources."""
    problems = []
    given = {"today": today, "editors": editors, "from_sources": schema.FROM_SOURCE_FILE}
    for what, sql in EVIDENCE_REQUIRED:
        rows = con.cursor().execute(sql, _bind(sql, given)).fetchall()
        keys = sorted(str(r[0]) for r in rows)
        if keys:
            shown = ", ".join(keys[:sample]) + (" …" if len(keys) > sample else "")
            problems.append(f"{what}: {len(keys)} ({shown})")
    return problems


def evidence_without_kind(con) -> list[str]:
    """Ids of current evidence without a kind of source."""
    sql = """SELECT evidence_id FROM current_evidence
    WHERE nullif(trim(source_kind), '') IS NULL ORDER BY evidence_id"""
    return [str(r[0]) for r in con.cursor().execute(sql).fetchall()]


def source_urls(con) -> pd.DataFrame:
    """Every link a current evidence item or assessment cites: table, id, url."""
    sql = """SELECT 'evidence' AS "table", evidence_id AS id, source_url AS url
        FROM current_evidence WHERE source_url IS NOT NULL
    UNION ALL
    SELECT 'assessments', assessment_id, evidence_url FROM current_assessments
        WHERE evidence_url IS NOT NULL
    ORDER BY 1, 2"""
    return _df(con, sql, {})


def tag_codes(con) -> pd.DataFrame:
    return _df(con, "SELECT DISTINCT scheme, code FROM tags ORDER BY 1, 2", {})


def rec_ids(con) -> list[str]:
    rows = (
        con.cursor()
        .execute("SELECT rec_id FROM recommendations ORDER BY sur, cycle, sort_key")
        .fetchall()
    )
    return [r[0] for r in rows]


def in_selection(con, f: Filters, sql: str, params: dict | None = None) -> pd.DataFrame:
    """Run `sql`, in which the CTE `selection` holds the recommendations the filters leave (rid,
    rec_id, sur, cycle, paragraph, text, response, themes): for query modules beside this one
    (e.g. `plan.queries`) that join their own tables to the selection."""
    plan = _plan(con, f)
    sel = (
        "SELECT x.rid, x.rec_id, x.sur, x.cycle, x.paragraph, x.sort_key, x.text, x.response, "
        f"x.themes {_from(plan, 'recommendations')}"
    )
    body = sql.strip()
    # The caller's own CTEs follow `selection`'s.
    body = ", " + body[len("WITH ") :] if body.upper().startswith("WITH ") else " " + body
    return _run(con, plan, f"WITH selection AS ({sel}){body}", params)


def cycle_documents(con, sur: str | None = None) -> pd.DataFrame:
    """Per loaded cycle (of one State under review, or of all): the official UN documents its
    recommendations and responses are printed in (wg_report, responses_document)."""
    sql = """SELECT c.cycle, c.wg_report, c.responses_document
    FROM (SELECT DISTINCT ON (sur, cycle) * FROM cycles ORDER BY sur, cycle) c
    SEMI JOIN loaded_counts l ON l.sur = c.sur AND l.cycle = c.cycle AND l.loaded > 0
    WHERE $sur IS NULL OR c.sur = $sur
    ORDER BY c.sur, c.cycle"""
    return _df(con, sql, {"sur": sur or None})
