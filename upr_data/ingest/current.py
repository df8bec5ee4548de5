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
KEYS = {"recommendations": "rec_id"}


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


def read_current(store_dir: Path, table: str) -> pa.Table:
    """`store.read_table`, keeping only the current row of each key where rows supersede."""
    data = store.read_table(store_dir, table)
    key = KEYS.get(table)
    return latest_rows(data, key) if key else data


def superseded_count(store_dir: Path, table: str = "recommendations") -> int:
    data = store.read_table(store_dir, table)
    key = KEYS[table]
    return data.num_rows - pc.count_distinct(data.column(key)).as_py()
