"""Which stored row is current when an append-only table holds several rows for one key.

The store never rewrites a file. A recommendation whose position changes gets a new row (same
rec_id, new response) in a new part file; `store.read_table` returns the base file first, then the
part files in name order (`part-<UTC time>-...`, so oldest first). The current row of a key is
therefore the LAST one read. Every reader of `recommendations` must apply `latest_rows` (see the
report to the lead: `queries.connect` does it for the app).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from .. import store

# Tables whose rows are superseded by a later row with the same key.
KEYS = {
    "recommendations": "rec_id",
    "institutions": "institution_id",
    "plan_items": "item_id",
}
# What a reconciliation does to each table holding a `rec_id` (see schema "reconciliations"): the
# provisional recommendation and its own positions, States and tags give way to the paragraph's
# (its official and curator tags were copied onto the paragraph by the import that reconciled
# it); what others recorded against it (assessments, evidence links) follows it to the paragraph.
DROPPED_WHEN_RECONCILED = ("recommendations", "response_history", "recommendation_states", "tags")
FOLLOWS_RECONCILED = ("assessments", "evidence_links")


def latest_rows(table: pa.Table, key: str) -> pa.Table:
    """The last row of each key, in the order of first appearance of the key."""
    if table.num_rows == 0 or pc.count_distinct(table.column(key)).as_py() == table.num_rows:
        return table  # the usual case, checked without leaving Arrow
    keys = table.column(key).to_pylist()
    last = {k: i for i, k in enumerate(keys)}
    if len(last) == len(keys):
        return table
    order = list(dict.fromkeys(keys))
    return table.take(pa.array([last[k] for k in order], pa.int64()))


def reconciled(store_dir: Path) -> dict[str, str]:
    """{provisional id: paragraph's rec_id} of every reconciliation in the store."""
    return reconciled_in(store.read_table(store_dir, "reconciliations"))


def reconciled_in(data: pa.Table) -> dict[str, str]:
    return dict(
        zip(
            data.column("provisional_id").to_pylist(),
            data.column("rec_id").to_pylist(),
            strict=True,
        )
    )


def apply_reconciliations(table: str, data: pa.Table, mapping: dict[str, str]) -> pa.Table:
    """A table's rows as readers see them once provisional ids are reconciled."""
    if not mapping or "rec_id" not in data.column_names or data.num_rows == 0:
        return data
    ids = pa.array(list(mapping), pa.string())
    if table in DROPPED_WHEN_RECONCILED:
        return data.filter(pc.invert(pc.is_in(data.column("rec_id"), value_set=ids)))
    if table in FOLLOWS_RECONCILED:
        column = [mapping.get(r, r) for r in data.column("rec_id").to_pylist()]
        position = data.column_names.index("rec_id")
        return data.set_column(position, "rec_id", pa.array(column, pa.string()))
    return data


def current_table(table: str, data: pa.Table, mapping: dict[str, str]) -> pa.Table:
    """Rows of `table` as every reader sees them: reconciled, and the current row per key."""
    data = apply_reconciliations(table, data, mapping)
    key = KEYS.get(table)
    return latest_rows(data, key) if key else data


def read_current(store_dir: Path, table: str) -> pa.Table:
    """`store.read_table`, as readers see it (`current_table`)."""
    return current_table(table, store.read_table(store_dir, table), reconciled(store_dir))


def superseded_count(store_dir: Path, table: str = "recommendations") -> int:
    data = store.read_table(store_dir, table)
    key = KEYS[table]
    return data.num_rows - pc.count_distinct(data.column(key)).as_py()
