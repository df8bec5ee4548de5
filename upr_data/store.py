"""The store: the product's tables in a DuckLake (see `lake`), one machine's or many servers'.

Each table of `schema.TABLES` lives twice in the lake: `base_<table>` holds what `build` made from
data/sources (replaced whole by the next build), `<table>` every row written since (imports,
editors' records), append-only. A reader gets the base rows, then the later rows in the order they
were written (DuckLake's row ids only grow), so "the last row of a key is current" holds.

Every write is one DuckLake transaction across every table it touches, and it also updates the
single row of `upr_writes`: two writes that overlap in time conflict there, and the later one
starts again on fresh data. A write computes its rows inside that transaction (`write`), so a
check for duplicates sees every committed row, whichever process or machine wrote it. A writer
killed half-way leaves nothing: rows exist only once the catalog has committed them. Nothing is
deleted; the data version is the lake's snapshot id, and any past snapshot can be read.

The bundled data ships as Parquet files in `data/store/<table>/base.parquet` (deterministic output
of `build`); the default lake (`data/lake`, not in git) takes them in as its base on first use and
again whenever they change, keeping the rows written since.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import random
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from . import lake, settings
from .schema import TABLES

BASE_PREFIX = "base_"
WRITES = "upr_writes"  # one row, updated by every write: where overlapping writes conflict
META = "upr_meta"  # key/value: the bundled files' fingerprint the base was taken from
BUNDLED_FILE = "base.parquet"
RETRIES = 30

Where = Path | str | lake.Location
_SQL_TYPES = {
    pa.string(): "VARCHAR",
    pa.int16(): "SMALLINT",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.float32(): "FLOAT",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
    pa.date32(): "DATE",
    pa.timestamp("s", tz="UTC"): "TIMESTAMPTZ",
}


class WriteConflict(RuntimeError):
    """Other writers kept committing first: the write gave up after RETRIES attempts."""


class _NothingToWrite(Exception):
    """Raised inside a write's transaction when it has no row to add: the transaction is rolled
    back, so a write that finds everything already stored leaves no trace, not even a snapshot."""


# -- tables ----------------------------------------------------------------------------------------


def _columns_sql(schema: pa.Schema) -> str:
    return ", ".join(f'"{f.name}" {_SQL_TYPES[f.type]}' for f in schema)


_READY: set[lake.Location] = set()
_READY_LOCK = threading.RLock()


def _ensure(where: Where) -> lake.Location:
    """Create missing tables and columns (once per process and location); take in the bundled
    base when this is the default lake."""
    location = lake.locate(where)
    with _READY_LOCK:
        if location in _READY:
            return location
        _attempts(lambda con: _create(con), location)
        if location.folder is not None and location.folder == settings.DEFAULT_STORE:
            _take_bundled(location)
        _READY.add(location)
    return location


def _create(con: duckdb.DuckDBPyConnection) -> None:
    existing = {
        (t, c)
        for t, c in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_catalog = $lake",
            {"lake": lake.ALIAS},
        ).fetchall()
    }
    tables = {t for t, _ in existing}
    for name, schema in TABLES.items():
        for table in (BASE_PREFIX + name, name):
            if table not in tables:
                con.execute(f"CREATE TABLE lake.{table} ({_columns_sql(schema)})")
                continue
            for f in schema:  # a column added to the schema since the lake was made
                if (table, f.name) not in existing:
                    con.execute(
                        f'ALTER TABLE lake.{table} ADD COLUMN "{f.name}" {_SQL_TYPES[f.type]}'
                    )
    if WRITES not in tables:
        con.execute(f"CREATE TABLE lake.{WRITES} (n BIGINT)")
        con.execute(f"INSERT INTO lake.{WRITES} VALUES (0)")
    if META not in tables:
        con.execute(f"CREATE TABLE lake.{META} (key VARCHAR, value VARCHAR)")


def _conform(table: str, data: pa.Table) -> pa.Table:
    schema = TABLES[table]
    return data.select(schema.names).cast(schema).replace_schema_metadata(None)


# -- reading ---------------------------------------------------------------------------------------


def _at(version: int | None) -> str:
    return "" if version is None else f" AT (VERSION => {int(version)})"


def _read(con: duckdb.DuckDBPyConnection, table: str, version: int | None) -> pa.Table:
    schema = TABLES[table]
    columns = ", ".join(f'"{n}"' for n in schema.names)
    sql = (
        f"SELECT {columns} FROM ("
        f"SELECT *, 0 AS _part, rowid AS _row FROM lake.{BASE_PREFIX}{table}{_at(version)} "
        f"UNION ALL SELECT *, 1, rowid FROM lake.{table}{_at(version)}) ORDER BY _part, _row"
    )
    data = con.execute(sql).to_arrow_table()
    return data.cast(schema) if data.num_rows else schema.empty_table()


def read_table(where: Where, table: str, at: int | None = None) -> pa.Table:
    """All rows of a table (base, then later writes in order), at snapshot `at` or the newest."""
    location = _ensure(where)
    with _cursor(location) as con:
        return _read(con, table, at)


def read_tables(
    where: Where, names: list[str] | None = None, at: int | None = None
) -> tuple[int, dict[str, pa.Table]]:
    """(snapshot id, {table: rows}) of several tables, all as of one snapshot."""
    location = _ensure(where)
    with _cursor(location) as con:
        version = at if at is not None else _snapshot(con)
        return version, {t: _read(con, t, version) for t in names or list(TABLES)}


class NotAppended(RuntimeError):
    """Between two snapshots the store did more than append later rows (a new base, a deleted
    row): what changed is not a list of added rows, and the tables must be read whole."""


def read_added(where: Where, names: list[str], since: int, at: int) -> dict[str, pa.Table]:
    """{table: rows} appended after snapshot `since` up to snapshot `at`, in the order a reader of
    snapshot `at` gets them after those of `since` (see `read_tables`). Raises NotAppended when
    anything else changed between them (a `build` replaced the base, a row was deleted, a table
    was created or altered). The snapshots' list of changes says which tables to read."""
    location = _ensure(where)
    with _cursor(location) as con:
        ids = {
            str(i): t
            for t, i in con.execute(
                "SELECT table_name, table_id FROM ducklake_table_info($lake)", {"lake": lake.ALIAS}
            ).fetchall()
        }
        changes = con.execute(
            "SELECT changes FROM lake.snapshots() WHERE snapshot_id > $since "
            "AND snapshot_id <= $at",
            {"since": int(since), "at": int(at)},
        ).fetchall()
        inserted: set[str] = set()
        for (change,) in changes:
            for kind, tables in (change or {}).items():
                touched = {ids.get(str(t).strip('"'), str(t)) for t in tables or []}
                if kind in ("tables_inserted_into", "inlined_insert"):
                    inserted |= touched
                elif kind in ("tables_deleted_from", "inlined_delete"):
                    ours = touched & {p + n for n in names for p in ("", BASE_PREFIX)}
                    if ours:
                        raise NotAppended(f"rows of {', '.join(sorted(ours))} were deleted")
                else:  # a table created, altered or dropped, a schema ...
                    raise NotAppended(f"the lake's tables changed ({kind})")
        based = inserted & {BASE_PREFIX + n for n in names}
        if based:
            raise NotAppended(f"{', '.join(sorted(based))}: a new base")
        added: dict[str, pa.Table] = {}
        for name in names:
            schema = TABLES[name]
            if name not in inserted:
                added[name] = schema.empty_table()
                continue
            columns = ", ".join(f'"{n}"' for n in schema.names)
            data = con.execute(
                f"SELECT {columns} FROM ducklake_table_insertions($lake, 'main', $table, "
                "$since, $at) ORDER BY rowid",
                {"lake": lake.ALIAS, "table": name, "since": int(since) + 1, "at": int(at)},
            ).to_arrow_table()
            added[name] = data.cast(schema) if data.num_rows else schema.empty_table()
    return added


@contextlib.contextmanager
def _cursor(location: lake.Location):
    """A cursor, closed after use: an unfinished read must not keep the catalog locked."""
    con = lake.cursor(location)
    try:
        yield con
    finally:
        con.close()


def _snapshot(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT id FROM lake.current_snapshot()").fetchall()[0][0])


def snapshot_id(where: Where) -> int:
    with _cursor(_ensure(where)) as con:
        return _snapshot(con)


def version(where: Where) -> str:
    """The data version: the lake's newest snapshot id, as text."""
    return str(snapshot_id(where))


def snapshots(where: Where) -> list[tuple[int, datetime]]:
    """(snapshot id, when it was committed) of every snapshot, oldest first."""
    with _cursor(_ensure(where)) as con:
        rows = con.execute("SELECT snapshot_id, snapshot_time FROM lake.snapshots() ORDER BY 1")
        return [(int(i), t) for i, t in rows.fetchall()]


def snapshot_as_of(where: Where, when: datetime) -> tuple[int, datetime] | None:
    """The newest snapshot committed at or before `when` (None: the store did not exist yet)."""
    found = [(i, t) for i, t in snapshots(where) if t <= when]
    return found[-1] if found else None


# -- writing ---------------------------------------------------------------------------------------


_WRITE_LOCKS: dict[lake.Location, threading.Lock] = {}


def _retry(body: Callable[[duckdb.DuckDBPyConnection], object], location: lake.Location):
    """Run `body` in one transaction, again from the start when another writer committed first.
    Writers of one process take turns (two open DuckLake write transactions on one DuckDB
    instance wait for each other); other processes and machines conflict in the catalog."""
    with _READY_LOCK:
        lock = _WRITE_LOCKS.setdefault(location, threading.Lock())
    with lock:
        return _attempts(body, location)


def _attempts(body: Callable[[duckdb.DuckDBPyConnection], object], location: lake.Location):
    for attempt in range(RETRIES):
        with _cursor(location) as con:
            try:
                con.execute("BEGIN TRANSACTION")
                result = body(con)
                con.execute("COMMIT")
                return result
            except duckdb.Error as error:
                _rollback(con)
                if "no space left" in str(error).lower():
                    raise OSError(errno.ENOSPC, f"No space left on device ({error})") from None
                if not _is_conflict(error) or attempt == RETRIES - 1:
                    raise
            except BaseException:
                _rollback(con)
                raise
        time.sleep(random.uniform(0.02, 0.1) * (attempt + 1))
    raise WriteConflict(f"{location.describe()}: other writers kept committing first")


def _is_conflict(error: duckdb.Error) -> bool:
    text = str(error).lower()
    return any(w in text for w in ("conflict", "locked", "busy", "could not serialize", "retry"))


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(duckdb.Error):
        con.execute("ROLLBACK")


_GENERATION = [0]  # bumped by every write of this process (for caches that poll the version)


def generation() -> int:
    return _GENERATION[0]


def write(where: Where, compute: Callable[[], Mapping[str, pa.Table]]) -> str | None:
    """One all-or-nothing write: `compute` returns the rows to append per table, and is called
    inside the transaction (again if another writer commits first), so what it checks against the
    store includes every committed write. Returns the new snapshot id, or None if it had nothing
    to write."""
    location = _ensure(where)

    def body(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(f"UPDATE lake.{WRITES} SET n = n + 1")
        changes = {t: _conform(t, d) for t, d in compute().items() if d.num_rows}
        if not changes:
            raise _NothingToWrite
        for table, data in changes.items():
            _insert(con, table, data)

    try:
        _retry(body, location)
    except _NothingToWrite:
        return None
    _GENERATION[0] += 1
    return version(location)


def append(where: Where, tables: Mapping[str, pa.Table]) -> str | None:
    """Append rows to several tables as one all-or-nothing change; returns the snapshot id."""
    conformed = {t: _conform(t, d) for t, d in tables.items() if d.num_rows}
    if not conformed:
        return None
    return write(where, lambda: conformed)


def _insert(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    columns = ", ".join(f'"{n}"' for n in data.column_names)
    con.register("incoming", data)
    try:
        con.execute(f"INSERT INTO lake.{table} ({columns}) SELECT {columns} FROM incoming")
    finally:
        con.unregister("incoming")


def replace_base(where: Where, tables: Mapping[str, pa.Table]) -> str:
    """Replace `build`'s base rows of each table, in one transaction; rows written since are kept.
    For the default lake, the bundled Parquet files are written too."""
    conformed = {t: _conform(t, d) for t, d in tables.items()}
    location = lake.locate(where)
    if location.folder is not None and location.folder == settings.DEFAULT_STORE:
        write_bundled(conformed)
    location = _ensure(location)
    _replace_base(location, conformed, _fingerprint(settings.BUNDLED_DIR))
    return version(location)


def _replace_base(location: lake.Location, tables: Mapping[str, pa.Table], mark: str) -> None:
    def body(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(f"UPDATE lake.{WRITES} SET n = n + 1")
        for table, data in tables.items():
            con.execute(f"DELETE FROM lake.{BASE_PREFIX}{table}")
            if data.num_rows:
                _insert(con, BASE_PREFIX + table, data)
        con.execute(f"DELETE FROM lake.{META} WHERE key = 'bundled'")
        con.execute(f"INSERT INTO lake.{META} VALUES ('bundled', $mark)", {"mark": mark})

    _retry(body, location)
    _GENERATION[0] += 1


# -- the bundled base ------------------------------------------------------------------------------


def write_bundled(tables: Mapping[str, pa.Table], folder: Path | None = None) -> None:
    """The bundled Parquet files (deterministic: same rows, same bytes)."""
    folder = folder or settings.BUNDLED_DIR
    for table, data in tables.items():
        target = folder / table / BUNDLED_FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_suffix(".tmp")
        pq.write_table(data, temp, compression="zstd")
        temp.replace(target)


def read_bundled(folder: Path | None = None) -> dict[str, pa.Table]:
    folder = folder or settings.BUNDLED_DIR
    found = {}
    for table, schema in TABLES.items():
        path = folder / table / BUNDLED_FILE
        if path.is_file():
            data = pq.read_table(path)
            missing = [f for f in schema if f.name not in data.column_names]
            for f in missing:  # a column the bundled files predate
                data = data.append_column(f, pa.nulls(data.num_rows, f.type))
            found[table] = _conform(table, data)
    return found


def _fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob(f"*/{BUNDLED_FILE}")):
        digest.update(path.parent.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _take_bundled(location: lake.Location) -> None:
    """The default lake's base follows the bundled files (a new clone, or a `git pull`)."""
    mark = _fingerprint(settings.BUNDLED_DIR)
    with _cursor(location) as con:
        held = con.execute(f"SELECT value FROM lake.{META} WHERE key = 'bundled'").fetchall()
    if held and held[0][0] == mark:
        return
    _replace_base(location, read_bundled(), mark)


# -- damage ----------------------------------------------------------------------------------------

# Tables a working store never has empty: without them every page would show "0 recommendations".
REQUIRED_ROWS = ("cycles", "states", "recommendations")


def verify(where: Where) -> list[str]:
    """What is damaged in the lake: a data file the catalog names that is missing, unreadable or
    lacks a column; a table that must not be empty. [] when whole. Never raises for damage."""
    try:
        location = _ensure(where)
    except (lake.LakeError, duckdb.Error, OSError) as error:
        return [f"the store cannot be opened: {error}"]
    problems: list[str] = []
    with _cursor(location) as con:
        for name, schema in TABLES.items():
            for table in (BASE_PREFIX + name, name):
                problems += _verify_files(con, table, schema)
        if problems:
            return problems
        for name in REQUIRED_ROWS:
            try:
                total = sum(
                    con.execute(f"SELECT count(*) FROM lake.{t}").fetchall()[0][0]
                    for t in (BASE_PREFIX + name, name)
                )
            except duckdb.Error as error:
                problems.append(f"{name}: cannot be read ({_first_line(error)})")
                continue
            if total == 0:
                problems.append(f"{name}: the table is empty (run `python -m upr_data build`)")
    return problems


def _verify_files(con: duckdb.DuckDBPyConnection, table: str, schema: pa.Schema) -> list[str]:
    files = con.execute(
        "SELECT data_file FROM ducklake_list_files($lake, $table)",
        {"lake": lake.ALIAS, "table": table},
    ).fetchall()
    problems = []
    for (path,) in files:
        try:
            columns = {
                r[0]
                for r in con.execute(
                    "SELECT name FROM parquet_schema($path)", {"path": path}
                ).fetchall()
            }
            con.execute("SELECT count(*) FROM read_parquet($path)", {"path": path}).fetchall()
        except duckdb.Error as error:
            problems.append(f"{table}: data file {path} cannot be read ({_first_line(error)})")
            continue
        missing = [n for n in schema.names if n not in columns]
        if missing:
            problems.append(f"{table}: data file {path} lacks column(s) {', '.join(missing)}")
    return problems


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0][:200]
