"""Each page's script-run time through AppTest, cold (caches cleared) and warm, on the bundled
store and on a SYNTHETIC store of 1M recommendations (bench/synthetic.py; never data/store).

    python bench/pages.py [--sizes 1000000] [--repeat 3] [--pages states,explore]

Prints the median of --repeat runs per page and the ratio of each synthetic store to the real
one, measured in the same run. A run is the router (sidebar filters) plus the page.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
import synthetic  # noqa: E402

from upr_data.settings import DEFAULT_STORE  # noqa: E402

PAGES = ["overview", "explore", "themes", "stakeholders", "states", "progress", "present"]
# What a reader's browser meets (a fresh session, the JavaScript, the map drawn): first_visit.py.


def _time_page(page: str, warm: bool) -> float:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    if not warm:  # cold: the page's run loads the store and runs every query afresh
        st.cache_data.clear()
        st.cache_resource.clear()
    began = time.perf_counter()
    at.switch_page(f"views/{page}.py").run()
    elapsed = time.perf_counter() - began
    if at.exception:
        raise SystemExit(f"{page}: {at.exception[0].value}")
    return elapsed


def measure(store_dir: Path, repeat: int, pages: list[str]) -> dict[str, tuple[float, float]]:
    os.environ["UPR_LAKE"] = str(store_dir)
    results = {}
    for page in pages:
        cold = statistics.median(_time_page(page, warm=False) for _ in range(repeat))
        _time_page(page, warm=True)  # fill the caches
        warm = statistics.median(_time_page(page, warm=True) for _ in range(repeat))
        results[page] = (cold, warm)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args()
    pages = [p for p in args.pages.split(",") if p]
    stores = {"real (296)": DEFAULT_STORE}
    for size in (int(s) for s in args.sizes.split(",") if s):
        stores[f"synthetic {size:,}"] = synthetic.ensure(size)
    results = {name: measure(path, args.repeat, pages) for name, path in stores.items()}
    base = results["real (296)"]
    print(f"{'page':<13}" + "".join(f"{name + ' cold/warm ms':>34}" for name in results))
    for page in pages:
        cells = []
        for name, timing in results.items():
            cold, warm = timing[page]
            ratio = "" if name.startswith("real") else f" x{warm / base[page][1]:.1f}"
            cells.append(f"{cold * 1000:>12.0f} / {warm * 1000:>6.0f}{ratio:>8}")
        print(f"{page:<13}" + "".join(f"{c:>34}" for c in cells))
    print("(x: warm time relative to the real store, same run)")


if __name__ == "__main__":
    main()
