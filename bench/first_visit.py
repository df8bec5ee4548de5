"""First visit: each page as a reader meets it, in a fresh headless Chromium session.

A Streamlit server on a private copy of the REAL bundled store (data/store, read only), Debian's
Chromium through Playwright as in the browser tests. A visit is timed from navigation until the
app's run is over and its main content is drawn: connected, script run finished, no skeleton left,
the page's title (h1) shown, every visible chart drawn (the map is one), then two animation
frames. Each visit is a new browser context: no cookies, no cache, a new Streamlit session.

- cold: the first session after the server started (a new server for every cold visit);
- warm: later sessions on the same server (its caches filled by the earlier visits).

    python bench/first_visit.py [--pages states,explore] [--cold 3] [--warm 5]
    python bench/first_visit.py --against ../other-checkout [--pages overview] [--warm 16]

Prints p50 and p95 (nearest rank: with 3 visits, the slowest) in seconds per page. Never asserts.

With --against, two warm servers, this checkout's and another's (an earlier commit, say), on the
same store copy, and each visit alternates between them: the machine's drift (other load, ±0.2 s
over minutes here) falls on both alike. Prints each side's p50 and the median of the paired
differences (this checkout minus the other) with their ratio.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from tests.e2e.browser_support import (  # noqa: E402
    BUNDLED_STORE,
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGE_PATHS,
    StreamlitServer,
)
from upr_data import store  # noqa: E402

PAGES = PAGE_PATHS  # every page of app.py, the Plan page included
VIEWPORT = {"width": 1280, "height": 720}  # a projector
# True once the run is over and the main content is drawn (see the module's docstring).
DRAWN = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testConnectionState !== 'CONNECTED'
      || app.dataset.testScriptState !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main || !main.querySelector('h1')) return false;
  for (const chart of main.querySelectorAll('[data-testid="stVegaLiteChart"]')) {
    if (chart.offsetParent && !chart.querySelector('canvas, svg')) return false;
  }
  return true;
}"""
TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def visit(browser: Browser, url: str) -> float:
    """Seconds from navigation to the page drawn, in a new context (a new session)."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        began = time.perf_counter()
        page.goto(url)
        page.wait_for_function(DRAWN, polling=50, timeout=120_000)
        page.evaluate(TWO_FRAMES)
        return time.perf_counter() - began
    finally:
        context.close()


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def measure(browser: Browser, lake: Path, logs: Path, path: str, cold: int, warm: int):
    colds, warms = [], []
    for i in range(cold):
        server = StreamlitServer(lake, logs / f"streamlit-{path.strip('/') or 'root'}-{i}.log")
        server.start()
        try:
            colds.append(visit(browser, server.url + path))
            if i == 0:  # the warm visits use the first server, after its cold visit
                warms = [visit(browser, server.url + path) for _ in range(warm)]
        finally:
            server.stop()
    return colds, warms


def compare(browser: Browser, lake: Path, logs: Path, path: str, other: Path, visits: int):
    """Warm visits alternated between this checkout's server and `other`'s: (ours, theirs)."""
    servers = [
        StreamlitServer(lake, logs / f"ab-{side}-{path.strip('/') or 'root'}.log", root=root)
        for side, root in (("this", ROOT), ("other", other))
    ]
    times: list[list[float]] = [[], []]
    try:
        for server in servers:
            server.start()
            visit(browser, server.url + path)  # its cold visit, not counted
        for i in range(visits):
            order = (0, 1) if i % 2 == 0 else (1, 0)  # neither side always goes first
            for side in order:
                times[side].append(visit(browser, servers[side].url + path))
    finally:
        for server in servers:
            server.stop()
    return times[0], times[1]


def row(name: str, browser: Browser, lake: Path, logs: Path, args: argparse.Namespace) -> str:
    """One page's line of the table."""
    path = PAGES[name]
    if args.against:
        ours, theirs = compare(browser, lake, logs, path, args.against.resolve(), args.warm)
        diff = statistics.median(a - b for a, b in zip(ours, theirs, strict=True))
        mine, other = statistics.median(ours), statistics.median(theirs)
        return f"{name:<13}{mine:>10.2f}{other:>10.2f}{diff:>+10.2f}{mine / other:>10.2f}"
    colds, warms = measure(browser, lake, logs, path, args.cold, args.warm)
    cells = [
        statistics.median(colds),
        percentile(colds, 0.95),
        statistics.median(warms) if warms else math.nan,
        percentile(warms, 0.95) if warms else math.nan,
    ]
    return f"{name:<13}" + "".join(f"{c:>10.2f}" for c in cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--cold", type=int, default=3, help="cold visits (a server each)")
    parser.add_argument("--warm", type=int, default=5, help="warm visits after the first cold")
    parser.add_argument("--against", type=Path, help="another checkout, compared visit by visit")
    args = parser.parse_args()
    names = [n for n in args.pages.split(",") if n]
    columns = (
        ["this p50", "other p50", "diff p50", "ratio"]
        if args.against
        else ["cold p50", "cold p95", "warm p50", "warm p95"]
    )
    with tempfile.TemporaryDirectory(prefix="upr-first-visit-") as tmp:
        lake = Path(tmp) / "store"
        store.replace_base(lake, store.read_bundled(BUNDLED_STORE))
        print(f"{'page':<13}" + "".join(f"{c:>10}" for c in columns))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                for name in names:
                    print(row(name, browser, lake, Path(tmp), args), flush=True)
            finally:
                browser.close()
    if args.against:
        print(f"(s; {args.warm} warm visits a side, alternated; diff: median of this - other)")
    else:
        print(f"(s; {args.cold} cold visits, a server each; {args.warm} warm; p95 nearest rank)")


if __name__ == "__main__":
    main()
