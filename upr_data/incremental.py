"""A newer snapshot's query database from an older one's: only the rows written in between are read
from the lake.

`queries.connect` reads every table of a snapshot from the lake. When a process already holds the
database of snapshot v and the lake moves on to v' (another server wrote), `connect_from` builds
the database of v' from the tables v's database holds plus the rows appended between v and v'
(`store.read_added`), applying the readers' rules to them (`ingest.current`: the newest row of a
key wins, reconciled provisional ids move), then builds the derived tables again
(`queries.derive`: measured in bench/README.md, rebuilding them from memory costs a fraction of
reading the lake at 1M recommendations, and doing it whole keeps one definition of them).

The database of v is only read: sessions still showing v keep a whole, unchanged database, and
the new one appears to them only once finished. Anything the rows added cannot express (a new
base from `build`, a deleted row, a provisional id reconciled twice, a table or column the older
database lacks) raises, and the caller reads the snapshot whole instead.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from . import queries, schema, store
from .ingest.current import KEYS, apply_reconciliations, current_table, reconciled_in

BATCH_ROWS = 100_000  # rows per Arrow batch copied from the older database


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
    con = duckdb.connect(":memory:", config={"threads": 1})
    try:
        for name in schema.TABLES:
            _copy(cursor, con, name, new)
            _add(con, name, current_table(name, added[name], mapping))
        con.execute("RESET threads")
        queries.derive(con)
    except BaseException:
        con.close()
        raise
    finally:
        cursor.close()
    return con


def _held(cursor: duckdb.DuckDBPyConnection, name: str) -> pa.RecordBatchReader:
    """A table's store columns as the older database holds them (its `recommendations` is the
    facts table: the store's columns come first there)."""
    columns = ", ".join(f'"{n}"' for n in schema.TABLES[name].names)
    try:
        return cursor.execute(f"SELECT {columns} FROM {name}").to_arrow_reader(BATCH_ROWS)
    except duckdb.Error as error:  # a table or column the older database lacks
        raise NotIncremental(f"{name}: {error}") from None


def _copy(
    cursor: duckdb.DuckDBPyConnection,
    con: duckdb.DuckDBPyConnection,
    name: str,
    reconciled: dict[str, str],
) -> None:
    rows = _held(cursor, name)
    if reconciled and "rec_id" in schema.TABLES[name].names:
        # Newly reconciled ids: the held rows follow (or give way), as a full read would have it.
        rows = apply_reconciliations(name, rows.read_all(), reconciled)
    con.from_arrow(rows).create(name)


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
