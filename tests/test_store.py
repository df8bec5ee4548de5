"""Atomic, all-or-nothing writes and the store version."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from upr_data import store


def rows(ids: list[str]) -> pa.Table:
    return pa.table({"evidence_id": ids, "rec_id": ["KHM-1-10.1"] * len(ids)})


def test_append_adds_a_part_and_changes_the_version(tiny: Path):
    before = store.version(tiny)
    store.append(tiny, {"evidence_links": rows(["E9"])})
    assert store.version(tiny) != before
    assert "E9" in store.read_table(tiny, "evidence_links").column("evidence_id").to_pylist()
    assert len(store.parquet_files(tiny, "evidence_links")) == 2


def test_a_failed_write_leaves_nothing_behind(tiny: Path):
    before = {p: p.read_bytes() for p in tiny.rglob("*.parquet")}
    bad = pa.table({"evidence_id": ["E9"]})  # a column is missing
    with pytest.raises(KeyError):
        store.append(tiny, {"evidence_links": rows(["E8"]), "evidence": bad})
    after = {p: p.read_bytes() for p in tiny.rglob("*.parquet")}
    assert after == before
    assert not list(tiny.rglob(".tmp-*"))


def test_readers_ignore_temporary_files(tiny: Path):
    (tiny / "evidence_links" / ".tmp-partial.parquet").write_bytes(b"PAR1 half written")
    assert store.read_table(tiny, "evidence_links").num_rows == 5


def test_empty_table_reads_with_its_schema(tmp_path: Path):
    table = store.read_table(tmp_path, "assessments")
    assert table.num_rows == 0 and "status" in table.column_names
