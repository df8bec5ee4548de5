"""`python -m upr_data migrate OLD_FOLDER`: an old-format store folder into the lake.

The old format kept one folder per table with `base.parquet` from the build and `part-<UTC
time>-<id>.parquet` files from later writes, a part counting only once `_commits/<name>` existed.
The base becomes the lake's base; each committed change becomes one snapshot, in the order it was
written, so the history reads as it did.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from . import store
from .schema import TABLES

OLD_BASE = "base.parquet"
OLD_COMMITS = "_commits"


def old_changes(folder: Path) -> tuple[dict[str, pa.Table], list[tuple[str, dict[str, pa.Table]]]]:
    """(base tables, [(part name, its tables)] in write order) of an old store folder."""
    folder = Path(folder)
    commits = folder / OLD_COMMITS
    committed = sorted(p.name for p in commits.iterdir()) if commits.is_dir() else []
    base: dict[str, pa.Table] = {}
    changes: list[tuple[str, dict[str, pa.Table]]] = [(name, {}) for name in committed]
    for table, schema in TABLES.items():
        path = folder / table / OLD_BASE
        if path.is_file():
            base[table] = _read(path, schema)
        for name, tables in changes:
            part = folder / table / name
            if part.is_file():
                tables[table] = _read(part, schema)
    return base, changes


def _read(path: Path, schema: pa.Schema) -> pa.Table:
    data = pq.read_table(path)
    for field in schema:
        if field.name not in data.column_names:
            data = data.append_column(field, pa.nulls(data.num_rows, field.type))
    return data.select(schema.names).cast(schema)


def migrate(old: Path, target) -> tuple[int, int]:
    """Copy an old store folder into the lake at `target`; returns (base rows, changes)."""
    base, changes = old_changes(old)
    if not base and not changes:
        raise ValueError(f"{old} holds no store (no <table>/{OLD_BASE} and no {OLD_COMMITS}/)")
    store.replace_base(target, base)
    for _name, tables in changes:
        store.append(target, tables)
    return sum(t.num_rows for t in base.values()), len(changes)
