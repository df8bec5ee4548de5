"""How long a write on server A takes to show on server B, and what B holds in memory.

Server B is a separate process doing what an app server does: it holds the query database
(`queries.connect`) of the lake's newest snapshot and polls the catalog every POLL seconds; when
the snapshot changes it loads the new one. Server A (this process) appends one assessment. The
time from A's commit to B's first query answering with the new row is the visibility time.

    python bench/lake_visibility.py [--sizes real,100000,1000000] [--writes 5]

Stores: the bundled real data in a fresh embedded lake, and SYNTHETIC stores from
bench/synthetic.py (never the real store). Prints, per store: the visibility time of each write
(p50, max), B's load time and its resident memory after loading.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyarrow as pa  # noqa: E402

from upr_data import queries, schema, store  # noqa: E402
from upr_data.filters import Filters  # noqa: E402

POLL = 0.2


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def server_b(where: str, ready, seen, stop) -> None:
    """Poll the newest snapshot; on a change load it and report the assessments it counts."""
    began = time.perf_counter()
    version = store.version(where)
    con = queries.connect(where)
    ready.put((time.perf_counter() - began, rss_mib()))
    while not stop.is_set():
        now = store.version(where)
        if now != version:
            version = now
            con = queries.connect(where)
            n = queries.summary(con, Filters())["assessed"]
            seen.put((time.time(), int(version), n, rss_mib()))
        time.sleep(POLL)


def assessment(rec_id: str, i: int) -> pa.Table:
    row = dict(assessment_id=f"BENCH-{i}-{time.time_ns()}", rec_id=rec_id, status="not_implemented",
               assessor_role="civil_society", assessor_org="SYNTHETIC bench", date=None,
               rationale="SYNTHETIC", evidence_url=None, source=None, entered_by="bench",
               entered_at=datetime.now(UTC).replace(microsecond=0), supersedes=None)  # fmt: skip
    names = schema.TABLES["assessments"].names
    return pa.Table.from_pylist([{c: row.get(c) for c in names}], schema.TABLES["assessments"])


def measure(label: str, where: Path, writes: int) -> None:
    context = multiprocessing.get_context("spawn")
    ready, seen, stop = context.Queue(), context.Queue(), context.Event()
    b = context.Process(target=server_b, args=(str(where), ready, seen, stop))
    b.start()
    load, memory = ready.get(timeout=600)
    rec_id = store.read_table(where, "recommendations").column("rec_id")[0].as_py()
    delays, last_memory = [], memory
    for i in range(writes):
        committed = time.time()
        store.append(where, {"assessments": assessment(rec_id, i)})
        at, _version, _n, last_memory = seen.get(timeout=600)
        delays.append(at - committed)
    stop.set()
    b.join(30)
    print(
        f"{label:>10}: visible on B after p50 {statistics.median(delays):.2f} s, max "
        f"{max(delays):.2f} s ({writes} writes, poll {POLL} s); B loads in {load:.1f} s and "
        f"holds {memory:.0f} MiB after loading, {last_memory:.0f} MiB after the writes"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="real,100000,1000000")
    parser.add_argument("--writes", type=int, default=5)
    args = parser.parse_args()
    for size in args.sizes.split(","):
        if size == "real":
            where = Path(tempfile.mkdtemp(prefix="upr-bench-lake-"))
            store.replace_base(where, store.read_bundled())
            measure("real", where, args.writes)
        else:
            from bench.synthetic import ensure

            measure(size, ensure(int(size)), args.writes)


if __name__ == "__main__":
    main()
