"""A newer snapshot's query database from an older one's: only the rows written in between are read
from the lake.

`queries.connect` reads every table of a snapshot from the lake. When a process already holds the
database of snapshot v and the lake moves on to v' (another server wrote), `connect_from` builds
the database of v' from the tables v's database holds plus the rows appended between v and v'
(`store.read_added`), applying the readers' rules to them (`ingest.current`: the newest row of a
key wins, reconciled provisional ids move). Then the derived tables:
- when the rows added are only assessments, evidence, links and tags (editors' writes), and they
  leave the codes the facts use as they were, only the facts of the recommendations they touch
  are made again, by the same statements (`queries.derive_statements`) run over those
  recommendations' rows in a scratch database, and put in place of the held ones; the tables
  numbering evidence and assessments (`link_facts`, `assessment_facts`) are made whole;
- otherwise (imports, reconciliations, new codes) all of them are made again (`queries.derive`).
At 1M recommendations the facts cost more than reading the lake (bench/README.md).

The database of v is only read: sessions still showing v keep a whole, unchanged database, and
the new one appears to them only once finished. Anything the rows added cannot express (a new
base from `build`, a deleted row, a provisional id reconciled twice, a table or column the older
database lacks) raises, and the caller reads the snapshot whole instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pyarrow as pa

from . import queries, schema, store
from .ingest.current import KEYS, apply_reconciliations, current_table, reconciled_in

BATCH_ROWS = 100_000  # rows per Arrow batch copied from the older database
FACTS = "recommendations"  # the store's table the facts table of the same name is made from
# Tables whose added rows change the facts of the recommendations they name only (see `_touched`).
BY_RECOMMENDATION = ("assessments", "evidence", "evidence_links", "tags")
# Facts made again for the touched recommendations only; those made whole; those kept as held.
PATCHED = ("recommendations", "state_facts", "tag_facts")
REMADE = ("link_facts", "assessment_facts")
KEPT = ("text_words", "loaded_counts", "tag_bits")


class NotIncremental(RuntimeError):
    """The newer snapshot cannot be had from the older database: read it whole."""


def connect_from(
    previous: duckdb.DuckDBPyConnection, store_dir: Path | str, since: int, at: int
) -> duckdb.DuckDBPyConnection:
    """The database of snapshot `at`, made from `previous` (the database of snapshot `since`,
    left untouched) and the rows added in between. Returns `previous` itself when none of the
    store's tables changed."""
    if at <= since:
        raise NotIncremental(f"snapshot {at} is not newer than {since}")
    try:
        added = store.read_added(store_dir, list(schema.TABLES), since, at)
    except store.NotAppended as error:
        raise NotIncremental(str(error)) from None
    if not any(t.num_rows for t in added.values()):
        return previous
    cursor = previous.cursor()  # each table's rows are read whole before the next is asked for
    held = reconciled_in(_held(cursor, "reconciliations").read_all())
    new = reconciled_in(current_table("reconciliations", added["reconciliations"], {}))
    if set(new) & (set(held) | set(held.values())):
        # Moving rows moved once already: the full read applies one mapping to the stored rows.
        raise NotIncremental("a reconciliation touches an id reconciled before")
    mapping = held | new
    rows = {name: current_table(name, added[name], mapping) for name in schema.TABLES}
    patch = _patchable(rows)
    con = duckdb.connect(":memory:", config={"threads": 1})
    try:
        for name in schema.TABLES:
            _copy(cursor, con, name, new, whole=patch and name == FACTS)
            _add(con, name, rows[name])
        con.execute("RESET threads")
        if not (patch and _patch(cursor, con, rows)):
            if patch:  # the held facts table back to the store's columns
                columns = ", ".join(f'"{n}"' for n in schema.TABLES[FACTS].names)
                con.execute(f"CREATE OR REPLACE TABLE {FACTS} AS SELECT {columns} FROM {FACTS}")
            for name in set(queries.derive_statements()) - set(schema.TABLES):
                con.execute(f"DROP TABLE IF EXISTS {name}")
            queries.derive(con)
    except BaseException:
        con.close()
        raise
    finally:
        cursor.close()
    return con


def _held(
    cursor: duckdb.DuckDBPyConnection, name: str, whole: bool = False
) -> pa.RecordBatchReader:
    """A table's store columns as the older database holds them (its `recommendations` is the
    facts table: the store's columns come first there), or all its columns (`whole`)."""
    columns = "*" if whole else ", ".join(f'"{n}"' for n in schema.TABLES[name].names)
    try:
        return cursor.execute(f"SELECT {columns} FROM {name}").to_arrow_reader(BATCH_ROWS)
    except duckdb.Error as error:  # a table or column the older database lacks
        raise NotIncremental(f"{name}: {error}") from None


def _copy(
    cursor: duckdb.DuckDBPyConnection,
    con: duckdb.DuckDBPyConnection,
    name: str,
    reconciled: dict[str, str],
    whole: bool = False,
) -> None:
    if not (reconciled and "rec_id" in schema.TABLES[name].names):
        _create(cursor, con, name, name, whole)
        return
    # Newly reconciled ids: the held rows follow (or give way), as a full read would have it.
    rows = apply_reconciliations(name, _held(cursor, name, whole).read_all(), reconciled)
    _create(cursor, con, name, name, whole, rows)


def _create(
    cursor: duckdb.DuckDBPyConnection,
    con: duckdb.DuckDBPyConnection,
    held: str,
    name: str,
    whole: bool = True,
    rows: pa.Table | None = None,
) -> None:
    """Table `name` of `con` with the column types of `held` in the older database (Arrow has no
    HUGEINT: the facts' masks would come back as DECIMAL), and its rows (or `rows`)."""
    types = dict(
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = $t ORDER BY ordinal_position",
            {"t": held},
        ).fetchall()
    )
    names = list(types) if whole else schema.TABLES[held].names
    try:
        columns = ", ".join(f'"{n}" {types[n]}' for n in names)
    except KeyError as error:  # a table or column the older database lacks
        raise NotIncremental(f"{held} has no column {error}") from None
    con.execute(f"CREATE TABLE {name} ({columns})")
    # Read after the types: a cursor's next statement ends the reading of the one before.
    con.register("_rows", rows if rows is not None else _held(cursor, held, whole))
    try:
        con.execute(f"INSERT INTO {name} SELECT * FROM _rows")
    finally:
        con.unregister("_rows")


def _add(con: duckdb.DuckDBPyConnection, name: str, rows: pa.Table) -> None:
    if not rows.num_rows:
        return
    con.register("_added", rows)
    try:
        key = KEYS.get(name)
        if key:  # a newer row of a key replaces the one held
            con.execute(f'DELETE FROM {name} WHERE "{key}" IN (SELECT "{key}" FROM _added)')
        columns = ", ".join(f'"{n}"' for n in schema.TABLES[name].names)
        con.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM _added")
    finally:
        con.unregister("_added")


# -- only the touched recommendations' facts -------------------------------------------------------


def _patchable(rows: dict[str, pa.Table]) -> bool:
    """Whether the rows added can only change the facts of the recommendations they name: rows
    of BY_RECOMMENDATION tables, or of tables no derived table is made from."""
    sql = " ".join(queries.derive_statements().values())
    for name, data in rows.items():
        if not data.num_rows or name in BY_RECOMMENDATION:
            continue
        if name == "reconciliations" or re.search(rf"\b{name}\b", sql):
            return False
    return True


def _touched(con: duckdb.DuckDBPyConnection, rows: dict[str, pa.Table]) -> None:
    """`_touched(rec_id)`: the recommendations whose facts the added rows may change (those they
    name, those of rows they supersede, those linked to evidence they add or supersede)."""
    parts = []
    for name in BY_RECOMMENDATION:
        con.register(f"_added_{name}", rows[name])
    parts.append("SELECT rec_id FROM _added_assessments")
    parts.append("SELECT rec_id FROM _added_evidence_links")
    parts.append("SELECT rec_id FROM _added_tags")
    parts.append(
        "SELECT a.rec_id FROM assessments a JOIN _added_assessments n "
        "ON a.assessment_id = n.supersedes"
    )
    parts.append(
        "SELECT l.rec_id FROM evidence_links l WHERE l.evidence_id IN ("
        "SELECT evidence_id FROM _added_evidence UNION SELECT supersedes FROM _added_evidence)"
    )
    union = " UNION ".join(parts)
    con.execute(
        f"CREATE TABLE _touched AS SELECT DISTINCT rec_id FROM ({union}) WHERE rec_id IS NOT NULL"
    )
    for name in BY_RECOMMENDATION:
        con.unregister(f"_added_{name}")


def _patch(
    previous: duckdb.DuckDBPyConnection, con: duckdb.DuckDBPyConnection, rows: dict[str, pa.Table]
) -> bool:
    """Make the derived tables of `con` from the held ones and the touched recommendations'
    rows. False, leaving no derived table, when the codes the facts use would change."""
    statements = queries.derive_statements()
    _touched(con, rows)
    for name in ("current_assessments", "latest_status", "current_evidence", "current_links"):
        con.execute(statements[name])
    for name in (*PATCHED[1:], *KEPT, "value_codes"):
        _create(previous, con, name, f"_held_{name}")
    con.execute(statements["value_codes"])
    changed = con.execute(
        "SELECT count(*) FROM ((SELECT * FROM value_codes EXCEPT SELECT * FROM _held_value_codes)"
        " UNION ALL (SELECT * FROM _held_value_codes EXCEPT SELECT * FROM value_codes))"
    ).fetchall()[0][0]
    con.execute("CREATE TABLE _touched_rids AS SELECT rid FROM recommendations SEMI JOIN _touched "
                "USING (rec_id)")  # fmt: skip
    scratch = None if changed else _scratch(con, statements)
    try:
        if scratch is None or not _same_bits(con, scratch):
            _drop(con, [f"_held_{n}" for n in (*PATCHED[1:], *KEPT, "value_codes")])
            _drop(con, ["_touched", "_touched_rids"])
            return False
        scratch.execute(statements["recommendations"])
        # Numbered among the touched ones only: they keep their numbers (no recommendation came
        # or went, so no other changed).
        held = con.execute("SELECT rec_id, rid FROM recommendations SEMI JOIN _touched "
                           "USING (rec_id)").to_arrow_table()  # fmt: skip
        scratch.register("_rids", held)
        scratch.execute("UPDATE recommendations SET rid = r.rid FROM _rids r "
                        "WHERE recommendations.rec_id = r.rec_id")  # fmt: skip
        for name in PATCHED[1:]:
            scratch.execute(statements[name])
        con.execute("DELETE FROM recommendations WHERE rec_id IN (SELECT rec_id FROM _touched)")
        for name in PATCHED[1:]:
            con.execute(f"ALTER TABLE _held_{name} RENAME TO {name}")
            con.execute(f"DELETE FROM {name} WHERE rid IN (SELECT rid FROM _touched_rids)")
        for name in PATCHED:
            made = scratch.execute(f"SELECT * FROM {name}").to_arrow_table()
            con.from_arrow(made).insert_into(name)
    finally:
        if scratch is not None:
            scratch.close()
    for name in KEPT:
        con.execute(f"DROP TABLE IF EXISTS {name}")
        con.execute(f"ALTER TABLE _held_{name} RENAME TO {name}")
    for name in REMADE:
        con.execute(statements[name])
    _drop(con, ["_touched", "_touched_rids", "_held_value_codes"])
    con.execute(f"CREATE VIEW effective_tags AS {queries.EFFECTIVE_TAGS}")
    return True


def _drop(con: duckdb.DuckDBPyConnection, names: list[str]) -> None:
    for name in names:
        con.execute(f"DROP TABLE IF EXISTS {name}")


def _scratch(con: duckdb.DuckDBPyConnection, statements: dict[str, str]):
    """A database holding the touched recommendations' rows of every table the facts are made
    from (and the codes and bits of all), with their effective tags."""
    columns = ", ".join(f'r."{n}"' for n in schema.TABLES[FACTS].names)
    touched = "SEMI JOIN _touched USING (rec_id)"
    sources = {
        FACTS: f"SELECT {columns} FROM {FACTS} r {touched}",
        "recommendation_states": f"SELECT * FROM recommendation_states {touched}",
        "tags": f"SELECT * FROM tags {touched}",
        "states": "SELECT * FROM states",
        "current_assessments": f"SELECT * FROM current_assessments {touched}",
        "latest_status": f"SELECT * FROM latest_status {touched}",
        "current_links": f"SELECT * FROM current_links {touched}",
        "current_evidence": "SELECT * FROM current_evidence WHERE evidence_id IN ("
        f"SELECT evidence_id FROM current_links {touched})",
        "value_codes": "SELECT * FROM value_codes",
        "tag_bits": "SELECT * FROM _held_tag_bits",
    }
    scratch = duckdb.connect(":memory:")
    try:
        for name, sql in sources.items():
            scratch.from_arrow(con.execute(sql).to_arrow_table()).create(name)
        scratch.execute(statements["effective_tags"])
    except BaseException:
        scratch.close()
        raise
    return scratch


def _same_bits(con: duckdb.DuckDBPyConnection, scratch: duckdb.DuckDBPyConnection) -> bool:
    """Whether the tag bits stay as held: no code new to a scheme, none gone from every
    recommendation (a curator's tags may replace the last classifier tag of a code)."""
    schemes = list(queries.MASKED)
    now = {
        (scheme, code)
        for scheme, code in scratch.execute(
            "SELECT DISTINCT scheme, code FROM effective_tags WHERE list_contains($s, scheme)",
            {"s": schemes},
        ).fetchall()
    }
    bits = {
        (scheme, code): (schemes.index(scheme) + 1, bit)
        for scheme, code, bit in con.execute(
            "SELECT scheme, code, bit FROM _held_tag_bits"
        ).fetchall()
    }
    if now - set(bits):
        return False
    elsewhere = set(
        con.execute(
            "SELECT DISTINCT sk, bit FROM _held_tag_facts ANTI JOIN _touched_rids USING (rid)"
        ).fetchall()
    )
    return all(key in now or place in elsewhere for key, place in bits.items())
