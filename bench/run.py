"""Benchmark of the views' queries: DuckDB (`upr_data.queries`) against a pandas baseline.

    python bench/run.py [--sizes 1000,100000,1000000] [--repeat 5] [--engines duckdb,pandas]

For each size a SYNTHETIC store is generated (or reused) under bench/out/. Each engine runs in a
fresh subprocess that loads the store (timed apart, with its memory) and then runs every view's
queries under every filter: one warm-up round, then `--repeat` timed rounds. Reported: the median
of each query, and of each view (its queries run one after another, summed per round); the
pandas/DuckDB ratio; resident memory (VmRSS/VmHWM of the subprocess, the peak reset after load).
Before timing, every result of both engines is compared on the 1k store. Writes
bench/out/results.json. Exit status 1 only if the engines disagree; targets are informational.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from upr_data.filters import Filters  # noqa: E402

ROLE = "civil_society"  # the pages' default assessor role
ALL, NONE, ALL_STATES, IF_STATE = "filter", "no filter", "State filter dropped", "only with a State"
# Each view's queries as its page in views/ runs them: (query, extra arguments, which filter).
# Every page first counts its selection (ui.common.selection_header).
VIEWS: dict[str, list[tuple[str, tuple, str]]] = {
    "Overview": [("count", (), ALL), ("summary", (), ALL), ("by_theme_response", (), ALL),
                 ("by_theme_status", (ROLE,), ALL), ("recent_changes", (5,), ALL),
                 ("coverage", (), NONE)],
    "Explore": [("count", (), ALL), ("recommendations", (5000,), ALL)],
    "Themes": [("count", (), ALL), ("by_theme_status", (ROLE,), ALL),
               ("by_action_status", (ROLE,), ALL)],
    "Stakeholders": [("count", (), ALL), ("role_activity", (), ALL), ("by_role_status", (), ALL),
                     ("disagreements", ("government", "civil_society"), ALL)],
    "Recommending States": [("count", (), ALL_STATES), ("by_state", (), ALL_STATES),
                            ("by_region", (), ALL_STATES), ("recommendations", (), IF_STATE)],
    "Progress": [("count", (), ALL), ("evidence_timeline", (), ALL),
                 ("assessment_timeline", (), ALL)],
}  # fmt: skip
FILTERS = {
    "none": Filters(),
    "theme+response": Filters(themes=("land_housing",), responses=("supported",)),
    "text": Filters(text="torture"),
    "state": Filters(states=("FRA",)),  # synthetic.BENCH_STATE, the most frequent one
}
ENGINES = ("duckdb", "pandas")
TARGET_SIZE, TARGET_MS, TARGET_RATIO = 1_000_000, 150.0, 5.0


def _engine(name: str):
    """(query module, load function) of an engine."""
    if name == "duckdb":
        from upr_data import queries

        return queries, queries.connect
    import pandas_baseline

    return pandas_baseline, pandas_baseline.load


def _runs(f: Filters, scope: str) -> bool:
    return scope != IF_STATE or bool(f.states)


def _call(module, conn, query: str, args: tuple, scope: str, f: Filters):
    function = getattr(module, query)
    if scope == NONE:
        return function(conn, *args)
    return function(conn, f.with_(states=()) if scope == ALL_STATES else f, *args)


# -- memory: this process's resident set (kB) from /proc; the peak can be reset on Linux --------


def _proc_kb(field: str) -> int:
    text = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.M).group(1))


def _reset_peak() -> None:
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current VmRSS


# -- one engine, in its own process -----------------------------------------------------------


def worker(engine: str, store_dir: Path, repeat: int) -> dict:
    module, load = _engine(engine)
    rss_imports = _proc_kb("VmRSS")
    _reset_peak()
    began = time.perf_counter()
    conn = load(store_dir)
    load_s = time.perf_counter() - began
    memory = {
        "after_imports": rss_imports,
        "after_load": _proc_kb("VmRSS"),
        "peak_load": _proc_kb("VmHWM"),
    }
    _reset_peak()
    times: dict = {v: {k: {} for k in FILTERS} for v in VIEWS}
    rows: dict = {v: {k: {} for k in FILTERS} for v in VIEWS}
    cpu_ms: dict = {v: {k: {} for k in FILTERS} for v in VIEWS}  # mean CPU time, all threads
    for round_ in range(repeat + 1):  # round 0 warms up and is not counted
        for key, f in FILTERS.items():
            for view, queries in VIEWS.items():
                # Every view starts as a page run on a new filter would: without the matches
                # the query layer remembers for a filter (`queries.forget_hits`).
                getattr(module, "forget_hits", lambda _: None)(conn)
                for query, args, scope in filter(lambda q: _runs(f, q[2]), queries):
                    began, cpu = time.perf_counter(), time.process_time()
                    result = _call(module, conn, query, args, scope, f)
                    elapsed = (time.perf_counter() - began) * 1000
                    if round_:
                        times[view][key].setdefault(query, []).append(elapsed)
                        cpu_ms[view][key][query] = (
                            cpu_ms[view][key].get(query, 0.0)
                            + (time.process_time() - cpu) * 1000 / repeat
                        )
                    else:
                        rows[view][key][query] = len(result) if hasattr(result, "__len__") else 1
    memory["peak_queries"] = _proc_kb("VmHWM")
    medians = {
        view: {
            key: {
                "view": statistics.median(map(sum, zip(*per.values(), strict=True))),
                **{q: statistics.median(t) for q, t in per.items()},
            }
            for key, per in by_filter.items()
        }
        for view, by_filter in times.items()
    }
    mib = {k: round(v / 1024, 1) for k, v in memory.items()}
    return {"load_s": load_s, "memory_mib": mib, "median_ms": medians, "cpu_ms": cpu_ms,
            "rows": rows}  # fmt: skip


def _stalled_us() -> int:
    """Microseconds some task waited for a CPU, machine-wide (Linux PSI), 0 if unknown."""
    try:
        text = Path("/proc/pressure/cpu").read_text()
    except OSError:
        return 0
    return int(re.search(r"^some .*total=(\d+)", text, re.M).group(1))


def run_worker(engine: str, store_dir: Path, repeat: int) -> dict:
    command = [
        sys.executable,
        __file__,
        "--worker",
        engine,
        "--store",
        str(store_dir),
        "--repeat",
        str(repeat),
    ]
    stalled, began = _stalled_us(), time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{engine} worker failed:\n{done.stderr}")
    result = json.loads(done.stdout)
    wall_us = (time.perf_counter() - began) * 1e6
    result["cpu_pressure"] = round((_stalled_us() - stalled) / wall_us, 2)
    return result


# -- the engines agree ------------------------------------------------------------------------


def _value(v):
    import numpy as np
    import pandas as pd

    if isinstance(v, list | tuple | np.ndarray):
        return tuple(_value(x) for x in v)
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, dt.date):
        ts = pd.Timestamp(v)
        return (ts.tz_convert("UTC").tz_localize(None) if ts.tz else ts).isoformat()
    if isinstance(v, bool | np.bool_ | int | np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        return round(float(v), 9)
    return v


def _canonical(result) -> tuple[list, list]:
    """(column names, rows as tuples of plain values) of a query's result."""
    if isinstance(result, dict):
        return list(result), [tuple(_value(v) for v in result.values())]
    if isinstance(result, int):
        return ["count"], [(result,)]
    return list(result.columns), [tuple(map(_value, r)) for r in result.itertuples(index=False)]


def check(store_dir: Path) -> dict:
    """Every query under every filter on both engines: same columns, same rows in the same order
    (rows only tied on the sort keys may come in another order: compared as multisets)."""
    engines = {
        name: (module, load(store_dir))
        for name, (module, load) in map(lambda n: (n, _engine(n)), ENGINES)
    }
    compared, mismatches, reordered = 0, [], []
    for key, f in FILTERS.items():
        for queries in VIEWS.values():
            for query, args, scope in filter(lambda q: _runs(f, q[2]), queries):
                (cols_d, rows_d), (cols_p, rows_p) = (
                    _canonical(_call(m, c, query, args, scope, f)) for m, c in engines.values()
                )
                compared += 1
                where = f"{query}{args} [{key}, {scope}]"
                if cols_d != cols_p:
                    mismatches.append(f"{where}: columns {cols_d} vs {cols_p}")
                elif rows_d != rows_p:
                    if sorted(rows_d, key=repr) == sorted(rows_p, key=repr):
                        reordered.append(where)
                    elif len(rows_d) != len(rows_p):
                        mismatches.append(f"{where}: {len(rows_d)} rows vs {len(rows_p)} rows")
                    else:
                        i, row_d, row_p = next(
                            (i, a, b)
                            for i, (a, b) in enumerate(zip(rows_d, rows_p, strict=True))
                            if a != b
                        )
                        column, a, b = next(
                            c for c in zip(cols_d, row_d, row_p, strict=True) if c[1] != c[2]
                        )
                        mismatches.append(f"{where}: row {i} {column}: {a!r} vs {b!r}")
    return {"compared": compared, "mismatches": mismatches, "tie_order_differs": reordered}


# -- report -----------------------------------------------------------------------------------


def _row(name: str, cells: list[tuple[float | None, float | None]]) -> str:
    out = f"{name:<22}"
    for duck, pandas in cells:
        out += f"{duck:>8.1f}" if duck is not None else f"{'-':>8}"
        out += f"{pandas:>9.1f}{pandas / duck:>5.1f}x" if pandas and duck else f"{'':>15}"
    return out


def report(n: int, result: dict) -> None:
    engines = result["engines"]
    rows = result["rows"]
    print(
        f"\n== {n:,} recommendations  ("
        + ", ".join(f"{t} {c:,}" for t, c in rows.items() if c > 1000)
        + ")"
    )
    for name, r in engines.items():
        m = r["memory_mib"]
        print(
            f"  {name:<7} load {r['load_s']:6.2f} s   RSS MiB: after imports "
            f"{m['after_imports']:.0f}, after load {m['after_load']:.0f}, peak during load "
            f"{m['peak_load']:.0f}, peak during queries {m['peak_queries']:.0f};"
            f" CPU pressure {r['cpu_pressure']:.0%}"
        )
    duck, pandas = engines.get("duckdb"), engines.get("pandas")
    if duck is None:
        return
    if pandas:
        differ = [
            f"{q} [{k}]"
            for v in VIEWS
            for k in FILTERS
            for q, count in duck["rows"][v][k].items()
            if pandas["rows"][v][k][q] != count
        ]
        result["row_counts_differ"] = differ
        print("  result row counts: " + (f"DIFFER: {differ}" if differ else "same on both engines"))
    print(f"{'median ms':<22}" + "".join(f"{k:^23}" for k in FILTERS))
    print(f"{'':<22}" + f"{'duckdb':>8}{'pandas':>9}{'ratio':>6}" * len(FILTERS))
    for view, queries in VIEWS.items():
        for label, item in [(view, "view")] + [(f"  {q[0]}", q[0]) for q in queries]:
            cells = [
                (
                    duck["median_ms"][view][k].get(item),
                    pandas["median_ms"][view][k].get(item) if pandas else None,
                )
                for k in FILTERS
            ]
            print(_row(label, cells))


def targets(n: int, result: dict) -> dict:
    engines = result["engines"]
    print(
        f"\nTargets at {n:,}: each view's queries together < {TARGET_MS:.0f} ms with DuckDB, "
        f"and >= {TARGET_RATIO:.0f}x faster than pandas, under every filter (informational)"
    )
    verdicts = {}
    for view in VIEWS:
        duck = {k: engines["duckdb"]["median_ms"][view][k]["view"] for k in FILTERS}
        worst = max(duck, key=duck.get)
        line = f"  {view:<20} DuckDB worst {duck[worst]:7.1f} ms ({worst})"
        ok = duck[worst] < TARGET_MS
        if "pandas" in engines:
            ratio = {k: engines["pandas"]["median_ms"][view][k]["view"] / duck[k] for k in FILTERS}
            lowest = min(ratio, key=ratio.get)
            line += f", lowest ratio {ratio[lowest]:5.1f}x ({lowest})"
            ok = ok and ratio[lowest] >= TARGET_RATIO
        verdicts[view] = "PASS" if ok else "MISS"
        print(f"{line}  {verdicts[view]}")
    return verdicts


def environment() -> dict:
    import duckdb
    import numpy
    import pandas
    import pyarrow

    meminfo = Path("/proc/meminfo").read_text()
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "memory_gib": round(mem_kb / 2**20, 1),
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
        "pyarrow": pyarrow.__version__,
        "numpy": numpy.__version__,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    parser.add_argument("--worker", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.store, args.repeat)))
        return 0

    import synthetic

    sizes = [int(s) for s in args.sizes.split(",")]
    engines = [e for e in args.engines.split(",") if e]
    results: dict = {"environment": environment(), "method": __doc__, "sizes": {}}
    print(json.dumps(results["environment"]))

    agreement = check(synthetic.ensure(1000, args.out / "store-1000", args.seed))
    results["check_1k"] = agreement
    print(
        f"check on 1k: {agreement['compared']} results compared, "
        f"{len(agreement['mismatches'])} mismatches, "
        f"{len(agreement['tie_order_differs'])} differ only in the order of tied rows"
    )
    for line in agreement["mismatches"]:
        print(f"  MISMATCH {line}")

    for n in sizes:
        began = time.perf_counter()
        store_dir = synthetic.ensure(n, args.out / f"store-{n}", args.seed)
        prepared_s = time.perf_counter() - began
        marker = json.loads((store_dir / synthetic.MARKER).read_text())
        result = {
            "store": str(store_dir),
            "prepare_s": prepared_s,
            "rows": marker["rows"],
            "engines": {e: run_worker(e, store_dir, args.repeat) for e in engines},
        }
        results["sizes"][n] = result
        report(n, result)
    target_size = TARGET_SIZE if TARGET_SIZE in sizes else max(sizes)
    if "duckdb" in engines:
        results["targets"] = {
            "size": target_size,
            "view_ms": TARGET_MS,
            "ratio": TARGET_RATIO,
            "verdicts": targets(target_size, results["sizes"][target_size]),
        }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=1))
    print(f"\nwrote {args.out / 'results.json'}")
    return 1 if agreement["mismatches"] else 0


if __name__ == "__main__":
    sys.exit(main())
