"""A third cycle loaded from an export in the official layout: the preview compares it with the
official totals and every page works across three cycles.

The export is GENERATED here (SYNTHETIC texts, never the real third-cycle list, which is not
available on this machine): 198 paragraphs from 73 States, 173 supported and 25 noted, the
official totals of A/HRC/41/17.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from upr_data import ingest, queries, store
from upr_data.check import check_store
from upr_data.filters import Filters
from upr_data.ingest.uhri import write_uhri_layout
from upr_data.settings import DEFAULT_STORE, REPO_ROOT


def synthetic_cycle_3() -> pd.DataFrame:
    names = store.read_table(DEFAULT_STORE, "states").column("name").to_pylist()[:73]
    rows = []
    for i in range(1, 199):
        state = names[(i - 1) % len(names)]
        rows.append(dict(
            cycle="3", rec_number=f"110.{i}", session="32", document="A/HRC/41/17",
            text=f"110.{i} SYNTHETIC TEST TEXT {i}: strengthen the fictitious registry of "
                 f"land titles and human rights defenders ({state});",
            recommending_states=state, response="noted" if i % 8 == 0 else "supported",
        ))  # fmt: skip
    frame = pd.DataFrame(rows)
    # 198 // 8 = 24 noted; one more makes the official 25
    frame.loc[frame["rec_number"] == "110.197", "response"] = "noted"
    return frame


@pytest.fixture(scope="module")
def three_cycles(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("three")
    target = folder / "store"
    shutil.copytree(DEFAULT_STORE, target, ignore=shutil.ignore_patterns(".lock"))
    export = write_uhri_layout(synthetic_cycle_3(), folder / "export-full-en.xlsx")
    parsed = ingest.read_file(export, target, state="KHM")
    plan = ingest.preview(target, parsed)
    assert not plan.problems, plan.problems
    assert any("198 paragraphs, 173 supported, 25 noted, 73 States" in line and "matches" in line
               for line in plan.lines()), plan.lines()  # fmt: skip
    ingest.commit(target, parsed)
    return target


def test_the_store_now_holds_three_cycles_and_checks_green(three_cycles: Path):
    report = check_store(three_cycles)
    assert report.ok, report.problems
    assert any(
        n.startswith("KHM cycle 3: loaded, matches the official totals") for n in report.notes
    )
    con = queries.connect(three_cycles)
    assert queries.count(con, Filters()) == 296 + 198
    assert queries.count(con, Filters(cycles=(3,), responses=("noted",))) == 25


@pytest.mark.parametrize(
    "page", ["overview", "explore", "themes", "stakeholders", "states", "progress", "recurring",
             "present"],
)  # fmt: skip
def test_every_page_works_across_three_cycles(three_cycles: Path, monkeypatch, page):
    monkeypatch.setenv("UPR_LAKE", str(three_cycles))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.query_params["cycle"] = ["1", "2", "3"]
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    # The slides say the selection on their first slide, not in a header.
    header = next(
        m.value for m in at.markdown if m.value.startswith("**") or "'subtitle'" in m.value
    )
    assert "494 recommendations where cycle is 1, 2, or 3" in header
