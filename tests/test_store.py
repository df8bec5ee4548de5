"""The store on DuckLake: all-or-nothing writes, serialised writers, snapshots, offline extensions.

The shared-catalog cases (PostgreSQL and an S3-compatible server) are in tests/test_lake_servers.py;
these run on the embedded lake (SQLite catalog) that a laptop uses.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from upr_data import lake, store


def rows(ids: list[str]) -> pa.Table:
    n = len(ids)
    return pa.table({"evidence_id": ids, "rec_id": ["KHM-1-10.1"] * n, "reason": ["SYNTHETIC"] * n})


def link_ids(where) -> list[str]:
    return store.read_table(where, "evidence_links").column("evidence_id").to_pylist()


def test_append_is_one_snapshot_and_changes_the_version(tiny: Path):
    before = store.version(tiny)
    written = store.append(tiny, {"evidence_links": rows(["E9"])})
    assert written == store.version(tiny) != before
    assert link_ids(tiny)[-1] == "E9"
    # The rows of the earlier snapshot are still there to read.
    assert (
        "E9"
        not in store.read_table(tiny, "evidence_links", at=int(before))
        .column("evidence_id")
        .to_pylist()
    )


def test_a_failed_write_leaves_nothing_behind(tiny: Path):
    before, ids = store.version(tiny), link_ids(tiny)
    bad = pa.table({"evidence_id": ["E9"]})  # a column is missing
    with pytest.raises(KeyError):
        store.append(tiny, {"evidence_links": rows(["E8"]), "evidence": bad})

    def fails():
        raise ValueError("a check failed half-way")

    with pytest.raises(ValueError):
        store.write(tiny, fails)
    assert store.version(tiny) == before and link_ids(tiny) == ids


def test_empty_table_reads_with_its_schema(tmp_path: Path):
    table = store.read_table(tmp_path / "new", "assessments")
    assert table.num_rows == 0 and "status" in table.column_names


def test_a_rebuilt_base_keeps_the_rows_written_since(tiny: Path):
    store.append(tiny, {"evidence_links": rows(["E9"])})
    base = store.read_table(tiny, "evidence_links").slice(0, 2)
    store.replace_base(tiny, {"evidence_links": base})
    assert link_ids(tiny) == base.column("evidence_id").to_pylist() + ["E9"]


def _writer(where: str, name: str, start, count: int) -> None:
    """Append `name` unless the store already holds it (checked inside the write)."""
    start.wait()
    for _ in range(count):

        def compute():
            held = set(link_ids(where))
            return {} if name in held else {"evidence_links": rows([name])}

        store.write(where, compute)


def test_concurrent_writers_in_two_processes_keep_every_row_once(tiny: Path):
    """8 writers (4 threads in each of 2 processes) each add E-shared once and a row of their
    own: the duplicate check runs inside the serialised write, so E-shared is stored once."""
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    procs = [context.Process(target=_threads, args=(str(tiny), p, start)) for p in range(2)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    ids = link_ids(tiny)
    assert ids.count("E-shared") == 1
    assert sorted(i for i in ids if i.startswith("E-own")) == sorted(
        f"E-own-{p}-{t}" for p in range(2) for t in range(4)
    )


def _threads(where: str, process: int, start) -> None:
    import threading

    def work(t: int) -> None:
        _writer(where, "E-shared", start, 1)
        _writer(where, f"E-own-{process}-{t}", start, 1)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _killed_mid_write(where: str, ready) -> None:
    con = lake.connect(where)
    con.execute("BEGIN TRANSACTION")
    con.execute("INSERT INTO lake.evidence_links VALUES ('E-killed', 'KHM-1-10.1', 'SYNTHETIC')")
    ready.set()
    time.sleep(60)  # killed before it commits


def test_a_writer_killed_mid_transaction_leaves_no_row(tiny: Path):
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    before, ids = store.version(tiny), link_ids(tiny)
    child = context.Process(target=_killed_mid_write, args=(str(tiny), ready))
    child.start()
    assert ready.wait(60)
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    assert link_ids(tiny) == ids and store.version(tiny) == before
    store.append(tiny, {"evidence_links": rows(["E-after"])})  # the lake still takes writes
    assert link_ids(tiny)[-1] == "E-after"


def test_extensions_load_from_the_pinned_packages_without_the_network():
    path = lake.packaged_extension("ducklake")
    assert path is not None and path.name == "ducklake.duckdb_extension"
    con = duckdb.connect()
    assert lake.load_extension(con, "ducklake") == "package"
    assert lake.load_extension(con, "postgres_scanner") == "package"
    assert con.execute("SELECT current_setting('allow_unsigned_extensions')").fetchone()[0] is False


def test_snapshots_as_of_a_date(tiny: Path):
    from datetime import UTC, datetime

    first_id, first_time = store.snapshots(tiny)[0]
    assert store.snapshot_as_of(tiny, first_time) == (first_id, first_time)
    assert store.snapshot_as_of(tiny, datetime(2000, 1, 1, tzinfo=UTC)) is None


def _data_file(where: Path, table: str) -> Path:
    con = lake.connect(where)
    try:
        found = con.execute(
            "SELECT data_file FROM ducklake_list_files('lake', $t)", {"t": table}
        ).fetchall()
    finally:
        con.close()
    return Path(found[0][0])


@pytest.mark.parametrize(
    "damage, expected",
    [
        (lambda f: f.unlink(), "cannot be read"),
        (lambda f: f.write_bytes(f.read_bytes()[: f.stat().st_size // 2]), "cannot be read"),
        (lambda f: f.write_bytes(b""), "cannot be read"),
    ],
)
def test_a_damaged_data_file_is_named_by_check(bundled_copy: Path, damage, expected: str):
    from upr_data.check import check_store

    path = _data_file(bundled_copy, "base_recommendations")
    damage(path)
    lake.SHARED.forget(bundled_copy)  # a fresh reader, as after a restart
    report = check_store(bundled_copy)
    assert not report.ok
    assert any(
        p.startswith("the store is damaged: base_recommendations: data file") and expected in p
        for p in report.problems
    ), report.problems


def test_an_empty_base_table_is_named_by_check(tiny: Path):
    from upr_data.check import check_store

    store.replace_base(tiny, {"recommendations": store.read_table(tiny, "recommendations")[:0]})
    assert check_store(tiny).problems == [
        "the store is damaged: recommendations: the table is empty (run `python -m upr_data build`)"
    ]
