"""How long a write on server A takes to show on server B, and what each server holds in memory.

Server B is a separate process doing what an app server does (`upr_data/cached.py`): it holds
the query database of the lake's newest snapshot and polls the catalog every POLL seconds; when
the snapshot changes it builds the new one while still holding the old one (sessions may still
show it), then lets the old one go. It builds it either the way the app does,
`incremental.connect_from` (only the rows added since, applied to what it holds), or by reading
the snapshot whole (`queries.connect`, what the app did before). Server A (this process, also
holding its database) appends one assessment; the time from A's commit to B's first query
answering with the new row is the visibility time. Then A picks up its own write the same way.

    python bench/lake_visibility.py [--sizes real,100000,1000000] [--writes 3]
                                    [--modes incremental,full] [--repeat 5]

Stores: the bundled real data in a fresh embedded lake, and SYNTHETIC stores from
bench/synthetic.py, copied to a temporary folder first (the writes never reach bench/out, never
the real store). Prints, per store and mode: the visibility time of each write (p50, max), the
part of it B spent building, B's load time, B's resident memory after loading, its peak while
picking up (old and new database held together) and after; A's own pickup time and memory. With
`--repeat`, B then times every view's queries (bench/run.py's views and filters) on the database
it built last: p50 and p95 per view over the filters and rounds.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyarrow as pa  # noqa: E402

from upr_data import incremental, queries, schema, store  # noqa: E402
from upr_data.filters import Filters  # noqa: E402

POLL = 0.2
MODES = ("incremental", "full")


def memory_mib(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak() -> None:
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM back to the current VmRSS


def pick_up(con, where: str, since: int, at: int, mode: str):
    """(database of `at`, how it was made): as the app does, a full read if incremental fails."""
    if mode == "incremental":
        try:
            return incremental.connect_from(con, where, since, at), "incremental"
        except Exception as error:  # the app falls back the same way
            print(f"  incremental failed ({error}); read whole", file=sys.stderr)
    return queries.connect(where, at=at), "full"


def view_times(con, repeat: int) -> dict[str, tuple[float, float]]:
    """{view: (p50, p95) ms} over bench/run.py's filters and `repeat` rounds (one warm-up)."""
    from bench.run import FILTERS, VIEWS, _call, _runs

    times: dict[str, list[float]] = {v: [] for v in VIEWS}
    for round_ in range(repeat + 1):
        for f in FILTERS.values():
            for view, calls in VIEWS.items():
                queries.forget_hits(con)
                began = time.perf_counter()
                for query, args, scope in filter(lambda q: _runs(f, q[2]), calls):
                    _call(queries, con, query, args, scope, f)
                if round_:
                    times[view].append((time.perf_counter() - began) * 1000)
    return {v: (statistics.median(t), _p95(t)) for v, t in times.items()}


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def server_b(where: str, mode: str, writes: int, repeat: int, ready, seen, go) -> None:
    """Poll the newest snapshot; on a change build the new database, report what it counts."""
    began = time.perf_counter()
    version = store.snapshot_id(where)
    con = queries.connect(where, at=version)
    ready.put((time.perf_counter() - began, memory_mib()))
    picked = 0
    while picked < writes:
        now = store.snapshot_id(where)
        if now != version:
            reset_peak()
            began = time.perf_counter()
            new, how = pick_up(con, where, version, now, mode)
            built = time.perf_counter() - began
            n = queries.summary(new, Filters())["assessed"]
            at = time.time()
            peak = memory_mib("VmHWM")
            con, version = new, now  # the old database goes once no session holds it
            gc.collect()
            seen.put((at, now, n, built, how, peak, memory_mib()))
            picked += 1
        time.sleep(POLL)
    go.wait()  # A is done picking up: the views are timed without it
    seen.put(view_times(con, repeat) if repeat else {})


def assessment(rec_id: str, i: int) -> pa.Table:
    row = dict(assessment_id=f"BENCH-{i}-{time.time_ns()}", rec_id=rec_id, status="not_implemented",
               assessor_role="civil_society", assessor_org="SYNTHETIC bench", date=None,
               rationale="SYNTHETIC", evidence_url=None, source=None, entered_by="bench",
               entered_at=datetime.now(UTC).replace(microsecond=0), supersedes=None)  # fmt: skip
    names = schema.TABLES["assessments"].names
    return pa.Table.from_pylist([{c: row.get(c) for c in names}], schema.TABLES["assessments"])


def measure(label: str, where: Path, mode: str, writes: int, repeat: int) -> None:
    context = multiprocessing.get_context("spawn")
    ready, seen, go = context.Queue(), context.Queue(), context.Event()
    b = context.Process(target=server_b, args=(str(where), mode, writes, repeat, ready, seen, go))
    b.start()
    load, b_memory = ready.get(timeout=3600)
    # A holds its database too, but builds it only after B has loaded (two cores).
    began = time.perf_counter()
    a_version = store.snapshot_id(where)
    a_con = queries.connect(where, at=a_version)
    a_load, a_memory = time.perf_counter() - began, memory_mib()
    rec_id = store.read_table(where, "recommendations").column("rec_id")[0].as_py()
    delays, builds, hows, peaks, afters, a_builds = [], [], set(), [], [], []
    for i in range(writes):
        committed = time.time()
        store.append(where, {"assessments": assessment(rec_id, i)})
        at, _version, _n, built, how, peak, after = seen.get(timeout=3600)
        delays.append(at - committed)
        builds.append(built)
        hows.add(how)
        peaks.append(peak)
        afters.append(after)
        # A picks up its own write once B is done (the two do not share the two cores).
        reset_peak()
        now = store.snapshot_id(where)
        began = time.perf_counter()
        a_con, _ = pick_up(a_con, str(where), a_version, now, mode)
        a_builds.append(time.perf_counter() - began)
        a_version = now
    a_peak = memory_mib("VmHWM")
    del a_con
    gc.collect()
    go.set()
    views = seen.get(timeout=3600)
    b.join(60)
    print(
        f"{label:>8} {mode:>11} ({'/'.join(sorted(hows))}): visible on B after p50 "
        f"{statistics.median(delays):.2f} s, max {max(delays):.2f} s ({writes} writes, poll "
        f"{POLL} s), of which B built p50 {statistics.median(builds):.2f} s; B loads in "
        f"{load:.1f} s, holds {b_memory:.0f} MiB, peak {max(peaks):.0f} MiB while picking up, "
        f"{afters[-1]:.0f} MiB after; A loads in {a_load:.1f} s, holds {a_memory:.0f} MiB, "
        f"picks up its own write in p50 {statistics.median(a_builds):.2f} s (peak "
        f"{a_peak:.0f} MiB)",
        flush=True,
    )
    for view, (p50, p95) in views.items():
        print(f"{'':>8} {view:>24}: p50 {p50:6.1f} ms, p95 {p95:6.1f} ms", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="real,100000,1000000")
    parser.add_argument("--writes", type=int, default=3)
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--repeat", type=int, default=5, help="rounds of view timings (0: none)")
    args = parser.parse_args()
    for size in args.sizes.split(","):
        for mode in args.modes.split(","):
            where = Path(tempfile.mkdtemp(prefix="upr-bench-lake-")) / "lake"
            if size == "real":
                store.replace_base(where, store.read_bundled())
            else:
                from bench.synthetic import ensure

                shutil.copytree(ensure(int(size)), where)
            try:
                repeat = args.repeat if mode == "incremental" else 0
                measure(size, where, mode, args.writes, repeat)
            finally:
                shutil.rmtree(where.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
