"""The Parquet store: one folder per table, `base.parquet` from the build plus appended part files.

Writes never change a file in place. Each new file is written to a temporary name in the same
folder, fsynced, then renamed into place (rename is atomic on POSIX), all under an exclusive lock.
An append may touch several tables; its part files share one name, and only once all of them are
in place is an empty marker `_commits/<name>` written. Readers take a part file only when its
marker exists, so a writer killed half-way leaves nothing visible: the change is all or nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import uuid
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .schema import TABLES

BASE_FILE = "base.parquet"
LOCK_FILE = ".lock"
COMMITS = "_commits"


def table_dir(store: Path, table: str) -> Path:
    return store / table


def _committed_parts(store: Path) -> set[str]:
    folder = store / COMMITS
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def parquet_files(store: Path, table: str, committed: set[str] | None = None) -> list[Path]:
    """The table's committed files: the base file, and each part file whose change completed."""
    folder = table_dir(store, table)
    if not folder.is_dir():
        return []
    committed = _committed_parts(store) if committed is None else committed
    return sorted(
        p
        for p in folder.glob("*.parquet")
        if p.name == BASE_FILE or (p.name.startswith("part-") and p.name in committed)
    )


def read_table(store: Path, table: str) -> pa.Table:
    """All rows of a table (base plus parts), in the schema's column order."""
    schema = TABLES[table]
    parts = [pq.read_table(p, schema=schema) for p in parquet_files(store, table)]
    return pa.concat_tables(parts) if parts else schema.empty_table()


def version(store: Path) -> str:
    """A short fingerprint of every committed file: it changes whenever any write lands."""
    digest = hashlib.sha256()
    committed = _committed_parts(store)
    for table in sorted(TABLES):
        for path in parquet_files(store, table, committed):
            stat = path.stat()
            digest.update(f"{table}/{path.name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:12]


@contextlib.contextmanager
def locked(store: Path) -> Iterator[None]:
    """An exclusive write lock on the store (blocks until it is free)."""
    store.mkdir(parents=True, exist_ok=True)
    with open(store / LOCK_FILE, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _conform(table: str, data: pa.Table) -> pa.Table:
    schema = TABLES[table]
    return data.select(schema.names).cast(schema).replace_schema_metadata(None)


def _write_temp(folder: Path, data: pa.Table) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / f".tmp-{uuid.uuid4().hex}.parquet"
    pq.write_table(data, temp, compression="zstd")
    with open(temp, "rb") as handle:
        os.fsync(handle.fileno())
    return temp


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def commit_files(store: Path, files: Mapping[str, tuple[str, pa.Table]]) -> None:
    """Write several files as one change: {table: (file name, rows)}.

    Every file is written and fsynced under a temporary name first; only when all are on disk are
    they renamed into place. A failure before the renames leaves the store exactly as it was.
    Call with the lock held.
    """
    temps: list[tuple[Path, Path]] = []
    try:
        for table, (name, data) in files.items():
            folder = table_dir(store, table)
            temps.append((_write_temp(folder, _conform(table, data)), folder / name))
    except BaseException:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)
        raise
    for temp, final in temps:
        os.replace(temp, final)
    for folder in {final.parent for _, final in temps}:
        _fsync_dir(folder)


def replace_base(store: Path, tables: Mapping[str, pa.Table]) -> None:
    """Replace the build's base file of each table; appended part files are kept."""
    with locked(store):
        commit_files(store, {t: (BASE_FILE, data) for t, data in tables.items()})


def new_part_name() -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"part-{stamp}-{uuid.uuid4().hex[:8]}.parquet"


def append(store: Path, tables: Mapping[str, pa.Table]) -> str | None:
    """Append rows to several tables as one all-or-nothing change; returns the part name."""
    changes = {t: data for t, data in tables.items() if data.num_rows}
    if not changes:
        return None
    name = new_part_name()
    with locked(store):
        commit_files(store, {t: (name, data) for t, data in changes.items()})
        marker = store / COMMITS / name
        marker.parent.mkdir(exist_ok=True)
        temp = marker.parent / f".tmp-{uuid.uuid4().hex}"
        with open(temp, "wb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, marker)
        _fsync_dir(marker.parent)
    return name
