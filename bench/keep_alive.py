"""The frontend's files over reused connections, as a browser fetches them: what each answer of
the server costs once a connection is open.

A Streamlit server on a private copy of the REAL bundled store (as bench/first_visit.py), or two
with --against (this checkout's and another's, the other one first). A page's HTML names ~60
JavaScript modules; a browser fetches them over at most six connections to one server, each
reused for the next file. This script does the same: six connections, the modules dealt out
among them, every file read whole, then the same files one after another on a single connection.

    python bench/keep_alive.py [--rounds 5] [--against ../other-checkout]

Prints, per server, the median over the rounds of the time for all files on six connections,
and p50 / p95 (nearest rank) of single requests over all rounds, in milliseconds. Never asserts.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import streamlit  # noqa: E402

from bench.first_visit import percentile  # noqa: E402
from tests.e2e.browser_support import BUNDLED_STORE, StreamlitServer  # noqa: E402
from upr_data import store  # noqa: E402

CONNECTIONS = 6  # Chromium's limit per server over HTTP/1.1
INDEX = Path(streamlit.__file__).parent / "static" / "index.html"


def modules() -> list[str]:
    """The frontend's files its page names (the entry script and every module it preloads)."""
    return ["/" + name for name in re.findall(r'"\./(static/js/[^"]+\.js)"', INDEX.read_text())]


def fetch_all(port: int, paths: list[str]) -> list[float]:
    """Each path's seconds, in order, over one kept-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    took = []
    try:
        for path in paths:
            began = time.perf_counter()
            connection.request("GET", path, headers={"Accept-Encoding": "gzip, deflate, br"})
            connection.getresponse().read()
            took.append(time.perf_counter() - began)
    finally:
        connection.close()
    return took


def measure(port: int, paths: list[str], rounds: int) -> tuple[float, list[float], float]:
    """(median seconds for all paths on six connections, their requests, seconds on one)."""
    totals, requests = [], []
    for _ in range(rounds):
        began = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(CONNECTIONS) as pool:
            shares = [paths[i::CONNECTIONS] for i in range(CONNECTIONS)]
            for took in pool.map(lambda share: fetch_all(port, share), shares):
                requests += took
        totals.append(time.perf_counter() - began)
    began = time.perf_counter()
    fetch_all(port, paths)
    return statistics.median(totals), requests, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--against", type=Path, help="another checkout, measured the same way")
    args = parser.parse_args()
    paths = modules()
    sides = [("this", ROOT)] + ([("other", args.against.resolve())] if args.against else [])
    print(f"{len(paths)} files; {CONNECTIONS} connections, then one")
    print(f"{'server':<8}{'6 conns':>10}{'req p50':>10}{'req p95':>10}{'1 conn':>10}")
    with tempfile.TemporaryDirectory(prefix="upr-keep-alive-") as tmp:
        lake = Path(tmp) / "store"
        store.replace_base(lake, store.read_bundled(BUNDLED_STORE))
        for side, root in sides:
            server = StreamlitServer(lake, Path(tmp) / f"{side}.log", root=root).start()
            try:
                port = int(server.url.rsplit(":", 1)[1])
                fetch_all(port, paths)  # the server's first answers, not counted
                total, requests, one = measure(port, paths, args.rounds)
            finally:
                server.stop()
            cells = [total, statistics.median(requests), percentile(requests, 0.95), one]
            print(f"{side:<8}" + "".join(f"{c * 1000:>10.1f}" for c in cells), flush=True)
    print(f"(ms; median of {args.rounds} rounds on six connections; p50/p95 of their requests)")


if __name__ == "__main__":
    main()
