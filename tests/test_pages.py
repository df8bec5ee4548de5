"""Every page through AppTest, from app.py: no exception, and the figures equal DuckDB's."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.chart_text import subtitle_text, title_text
from upr_data import queries, schema
from upr_data.filters import Filters
from upr_data.settings import REPO_ROOT

PAGES = [
    "overview",
    "explore",
    "themes",
    "stakeholders",
    "states",
    "progress",
    "present",
    "recurring",
    "plan",
]
TIMEOUT = 60


@pytest.fixture(autouse=True)
def fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def open_page(page: str, **params: str | list[str]) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def header_count(at: AppTest) -> int:
    first = next((m.value for m in at.markdown if m.value.startswith("**")), None)
    if first is None:  # the slides have no header: the first slide's count says the selection
        slide = next(m.value for m in at.markdown if "class='slide'" in m.value)
        figure = re.search(r"class='value'>(\d+)</div><div class='label'>Recommendations<", slide)
        return int(figure.group(1))
    return int(re.match(r"\*\*(\d+) ", first).group(1))


def shown(markdown: str) -> str:
    """What a Markdown source displays once its backslash escapes are read (ui.safe escapes
    every punctuation character of text that did not come from our code)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def tables_shown(at: AppTest) -> list[pd.DataFrame]:
    """Every short table (ui.safe.table: st.table, each text an escaped Markdown cell) as its
    reader sees it; a link stays [site](address)."""
    return [
        t.value.rename(columns=shown).map(lambda v: shown(v) if isinstance(v, str) else v)
        for t in at.table
    ]


def url(at: AppTest, key: str) -> list[str]:
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_unfiltered(page, real_db):
    at = open_page(page)
    assert header_count(at) == queries.count(real_db, Filters())
    assert not at.warning


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_filtered(page, real_db):
    params = {"theme": "land_housing", "response": "supported", "cycle": "2"}
    at = open_page(page, **params)
    f = Filters.from_params(params)
    expected = queries.count(real_db, f.with_(states=()) if page == "states" else f)
    assert header_count(at) == expected > 0


@pytest.mark.parametrize("page", PAGES)
def test_every_page_handles_an_empty_selection(page):
    at = open_page(page, q="no recommendation says this")
    assert header_count(at) == 0
    if page != "overview":
        assert any("No recommendation matches" in i.value for i in at.info)


def test_overview_figures_equal_duckdb(real_db):
    at = open_page("overview")
    shown = {m.label: m.value for m in at.metric}
    figures = queries.summary(real_db, Filters())
    assert shown["Recommendations"] == str(figures["recommendations"]) == "296"
    assert shown["Recommending States"] == str(figures["recommending_states"])
    assert shown["Supported"] == "254" and shown["Noted"] == "42"
    assert shown["Assessed so far"] == str(figures["assessed"])
    assert shown["With evidence"] == str(figures["with_evidence"])
    spec = charts(at)[0]
    assert "n = 296 recommendations counted by paragraph" in json.dumps(spec["title"])
    coverage = tables_shown(at)[-1]
    assert coverage["Status"].tolist()[:3] == [
        "loaded, matches the official total",
        "loaded, matches the official total",
        "not loaded",
    ]


def test_counting_by_state_changes_the_charts(real_db):
    at = open_page("overview", basis="states")
    spec = charts(at)[0]
    n = queries.count(real_db, Filters(), "states")
    assert subtitle_text(spec) == f"n = {n} recommendations counted once per recommending State"


def test_bad_link_values_fall_back_with_a_note(real_db):
    at = open_page("explore", theme="nonsense", response="supported", basis="everything")
    assert len(at.warning) == 1  # every note about the link in one box
    notes = [shown(w.value) for w in at.warning]
    assert any("nonsense" in n for n in notes) and any("everything" in n for n in notes)
    assert header_count(at) == queries.count(real_db, Filters(responses=("supported",)))
    assert url(at, "response") == ["supported"] and url(at, "theme") == []


def test_filters_survive_a_page_switch_and_stay_in_the_url(real_db):
    at = open_page("overview", state="DEU")
    at.switch_page("views/themes.py").run()
    assert header_count(at) == queries.count(real_db, Filters(states=("DEU",)))
    assert url(at, "state") == ["DEU"]


def test_changing_a_filter_rewrites_the_url(real_db):
    at = open_page("explore")
    at.multiselect(key="response").set_value(["noted"]).run()
    assert url(at, "response") == ["noted"]
    assert header_count(at) == queries.count(real_db, Filters(responses=("noted",))) == 42
    assert len(at.dataframe[0].value) == 42
    assert not at.warning


def test_explore_shows_a_recommendation_in_full():
    at = open_page("explore", rec="KHM-1-82.91")
    text = " ".join(m.value for m in at.markdown)
    for name in ("Pakistan", "Egypt", "Cuba", "Azerbaijan", "Angola"):
        assert name in text
    assert "A/HRC/13/4 para 82" in " ".join(shown(c.value) for c in at.caption)


def test_states_page_lists_one_states_recommendations(real_db):
    at = open_page("states", state="DEU")
    rows = at.dataframe[-1].value
    expected = queries.recommendations(real_db, Filters(states=("DEU",)))
    assert rows["Id"].tolist() == expected["rec_id"].tolist()
    (world,) = charts(at)  # the map, drawn as a Vega-Lite chart
    assert title_text(world) == "Recommending States: Recommendations made"
    assert {f["properties"]["iso3"] for f in world["datasets"]["countries"]} >= {"DEU", "KHM"}


def test_present_steps_through_slides_with_the_number_in_the_url(real_db):
    at = open_page("present", slide="2", cycle="2")
    deck_size = 1 + queries.by_theme_response(real_db, Filters(cycles=(2,)))["theme"].nunique()
    assert any(f"Slide 2 of {deck_size}" in m.value for m in at.markdown)
    at.button(key="next").click().run()
    assert url(at, "slide") == ["3"]
    assert any(f"Slide 3 of {deck_size}" in m.value for m in at.markdown)
    at.button(key="previous").click().run()
    at.button(key="previous").click().run()
    assert url(at, "slide") == ["1"]
    assert any(f"Slide 1 of {deck_size}" in m.value for m in at.markdown)
    assert any("UPR recommendations to Cambodia" in m.value for m in at.markdown)


def test_present_by_role_and_a_bad_slide_number():
    at = open_page("present", by="role", slide="99")
    assert url(at, "slide") == ["6"]
    assert any("UN bodies" in m.value for m in at.markdown)


def test_recurring_issues_link_the_nhri_recommendations_of_both_cycles():
    at = open_page("recurring", theme="nhri")
    issues = at.dataframe[0].value
    nhri = issues[issues["Recommendations"].str.contains("KHM-1-82.7")]
    assert len(nhri) == 1
    assert nhri.iloc[0]["Cycles"] == "1, 2"
    assert "KHM-2-118.32" in nhri.iloc[0]["Recommendations"]


def test_a_recommendation_says_where_it_was_recommended_again():
    at = open_page("explore", rec="KHM-2-118.32")
    assert any("Also recommended in cycle 1: KHM-1-82.7" in shown(i.value) for i in at.info)


@pytest.fixture
def two_states(tmp_path, bundled_copy, monkeypatch):
    """The bundled store plus a generated (SYNTHETIC) Slovenian cycle, as UPR_LAKE."""
    from tests import layouts
    from upr_data.ingest import commit, read_file

    path = layouts.write_xls(tmp_path / "svn.xls", layouts.synthetic_rows("Slovenia", 34.0))
    commit(bundled_copy, read_file(path, bundled_copy))
    monkeypatch.setenv("UPR_LAKE", str(bundled_copy))
    return bundled_copy


@pytest.mark.parametrize("page", PAGES)
def test_every_page_follows_the_state_under_review(two_states, page):
    at = open_page(page, sur="SVN")
    assert at.selectbox(key="sur").value == "SVN"
    if page not in ("present", "recurring"):
        assert header_count(at) == 6
    assert url(at, "sur") == ["SVN"]


def test_the_state_under_review_defaults_to_cambodia_and_switches(two_states):
    at = open_page("overview")
    assert at.selectbox(key="sur").value == "KHM"
    assert at.title[0].value == "UPR recommendations to Cambodia: what has happened since"
    assert header_count(at) == 296
    at.selectbox(key="sur").set_value("SVN").run()
    assert at.title[0].value == "UPR recommendations to Slovenia: what has happened since"
    assert header_count(at) == 6 and url(at, "sur") == ["SVN"]
    assert any(shown(m.value) == "**6 recommendations to Slovenia, all shown**"
               for m in at.markdown)  # fmt: skip
    coverage = tables_shown(at)[-1]
    assert list(coverage.iloc[:, 0].astype(str)) == ["3"]


def test_one_state_shows_no_state_choice():
    at = open_page("overview")
    assert not [s for s in at.selectbox if s.key == "sur"]


def test_asof_shows_the_store_as_it_was_and_names_the_snapshot(bundled_copy, monkeypatch):
    """A write after a moment is not in `?asof=<that moment>`; every page names its snapshot."""
    import time
    from datetime import UTC, datetime

    from upr_data import progress, store
    from upr_data.access import Writer

    monkeypatch.setenv("UPR_LAKE", str(bundled_copy))
    before = store.snapshots(bundled_copy)[-1]
    time.sleep(1.1)
    moment = datetime.now(UTC).replace(microsecond=0)
    time.sleep(1.1)
    progress.add_assessment(
        bundled_copy,
        {"rec_id": "KHM-1-82.1", "status": "not_implemented", "assessor_role": "un",
         "assessor_org": "SYNTHETIC", "date": "2024-01-01", "rationale": "SYNTHETIC"},
        Writer("editor@example.org", "editor"),
    )  # fmt: skip
    now = open_page("overview")
    then = open_page("overview", asof=moment.isoformat().replace("+00:00", "Z"))
    figures = {
        name: {m.label: m.value for m in at.metric}["Assessed so far"]
        for name, at in (("now", now), ("then", then))
    }
    assert int(figures["now"]) == int(figures["then"]) + 1
    captions = [c.value.replace("\\", "") for c in then.caption]  # as shown: escapes removed
    assert any(c.startswith(f"Data: snapshot {before[0]} of ") for c in captions), captions
    assert any("the store as it was then" in w.value.replace("\\", "") for w in then.warning)
    assert url(then, "asof") == [moment.isoformat().replace("+00:00", "Z")]


def test_a_damaged_store_shows_what_to_do_not_wrong_numbers(bundled_copy, monkeypatch):
    from upr_data import lake, store

    store.replace_base(
        bundled_copy, {"recommendations": store.read_bundled()["recommendations"][:0]}
    )
    monkeypatch.setenv("UPR_LAKE", str(bundled_copy))
    lake.SHARED.forget(bundled_copy)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert "The store is damaged" in at.error[0].value
    assert "python -m upr_data check" in at.error[0].value
    assert not at.metric  # no figures at all


# -- issue 17: what the journeys showed ------------------------------------------------------

MISSING = (
    "Not counted here: cycle 3 (2019, 198 recommendations) and cycle 4 (2024), whose "
    "recommendations are not loaded. These figures cover cycles 1 and 2 only."
)


@pytest.mark.parametrize("page", [p for p in PAGES if p != "present"])
def test_every_page_that_counts_names_the_missing_cycles(page):
    at = open_page(page)
    assert any(MISSING in shown(c.value) for c in at.caption), [c.value for c in at.caption]


def test_every_slide_names_the_missing_cycles_in_short():
    """The slides have no header: each slide says it, in a projector's few words."""
    short = "Not counted here (not loaded): cycle 3 (2019, 198 recommendations) and cycle 4 (2024)."
    for link in ({}, {"slide": "7"}, {"by": "role", "slide": "3"}):
        at = open_page("present", **link)
        assert any(short in m.value for m in at.markdown), [m.value for m in at.markdown]


def test_the_coverage_table_says_not_known_never_none():
    at = open_page("overview")
    coverage = tables_shown(at)[-1]
    assert list(coverage["Cycle"]) == [1, 2, 3, 4]
    assert not coverage.isna().any().any()
    cells = {str(v) for v in coverage.to_numpy().ravel()}
    assert not cells & {"None", "nan", "NaN", "<NA>"}, cells
    assert coverage.iloc[3]["Report"] == "not known"  # cycle 4's report is not in the store


def test_recurring_explains_links_in_plain_words():
    at = open_page("recurring", theme="nhri")
    captions = " ".join(c.value for c in at.caption)
    assert "ask for much the same thing" in captions
    assert "TF-IDF" not in captions and "cosine" not in captions and "0.33" not in captions
    issues = at.dataframe[0].value
    assert set(issues["How alike"]) <= {"very similar", "similar", "related"}
    assert "Choose a row to read the issue's recommendations in full." in captions


def test_a_link_to_a_recommendation_ticks_its_row(real_db):
    at = open_page("explore", rec="KHM-1-82.91")
    table = at.dataframe[0]
    default = json.loads(table.proto.selection_default)["selection"]["rows"]
    ids = queries.recommendations(real_db, Filters())["rec_id"].tolist()
    assert [ids[i] for i in default] == ["KHM-1-82.91"]


def test_a_tag_shows_where_it_comes_from_in_words():
    at = open_page("explore", rec="KHM-2-118.32")
    captions = [shown(c.value) for c in at.caption]
    assert any(c.startswith("From the tracker's classifier: ") for c in captions), captions
    assert not any("<small>" in c or c.startswith("classifier: ") for c in captions)


def test_explore_says_where_a_search_was_found_beyond_the_texts():
    at = open_page("explore", q="Tep Vanny")
    text = [shown(m.value) for m in at.markdown]
    assert header_count(at) == 0  # in no recommendation's own text
    assert "**Where “Tep Vanny” was found**" in text
    assert any("2 evidence items mention “Tep Vanny”" in t for t in text), text
    found = at.dataframe[0].value
    assert len(found) > 0 and set(found["Found through"]) == {"evidence about it"}


def test_a_selection_of_one_cycle_says_it_covers_that_cycle_only():
    at = open_page("themes", cycle="1")
    captions = " ".join(shown(c.value) for c in at.caption)
    assert "Not counted here: cycle 3 (2019, 198 recommendations) and cycle 4 (2024)" in captions
    assert "These figures cover cycle 1 only." in captions


def test_the_overviews_sources_are_links_named_by_their_site():
    at = open_page("overview")
    recent = next(t for t in tables_shown(at) if "Source" in t.columns)
    links = [re.fullmatch(r"\[([^\]]+)\]\((https?://[^)]+)\)", cell) for cell in recent["Source"]]
    assert len(links) == 5 and all(links), list(recent["Source"])
    sites = {link[1] for link in links}  # what the reader sees in place of each address
    assert "jurist.org" in sites and not any("/" in site for site in sites), sites


def test_the_evidence_timelines_table_links_each_source_by_its_site():
    at = open_page("progress")
    assert not [d for d in at.dataframe if "Source" in d.value.columns]  # drawn when asked for
    at.session_state["tabs-evidence"] = "Table"
    at.run()
    table = next(d for d in at.dataframe if "Source" in d.value.columns)
    addresses = table.value["Source"].dropna()
    assert len(addresses) and all(a.startswith(("https://", "http://")) for a in addresses)
    source = json.loads(table.proto.columns)["Source"]["type_config"]
    assert source["type"] == "link"
    sites = {re.match(source["display_text"], a)[1] for a in addresses}
    assert sites and not any("/" in site for site in sites), sites


def test_a_long_table_is_a_grid_and_a_short_one_is_shown_whole():
    from ui import common

    frame = pd.DataFrame(
        {"Kind": ["a [link](http://x.example)"] * 3, "Source": ["https://ohchr.org/x"] * 3}
    )
    at = AppTest.from_function(_draw_table, args=(frame,)).run()
    assert not at.dataframe and len(at.table) == 1
    cells = tables_shown(at)[0]
    assert cells["Kind"].tolist() == ["a [link](http://x.example)"] * 3  # as typed, no link
    assert at.table[0].value["Source"].tolist() == ["[ohchr.org](https://ohchr.org/x)"] * 3

    long = pd.concat([frame] * (common.SHORT_TABLE // 3 + 1), ignore_index=True)
    at = AppTest.from_function(_draw_table, args=(long,)).run()
    assert not at.table and len(at.dataframe) == 1
    assert len(at.dataframe[0].value) == len(long) > common.SHORT_TABLE
    assert json.loads(at.dataframe[0].proto.columns)["Source"]["type_config"]["type"] == "link"


def _draw_table(frame):
    from ui.common import table

    table(frame, links=("Source",))


def test_the_stakeholders_page_shows_each_roles_activity_whole(real_db):
    at = open_page("stakeholders")
    activity = next(t for t in tables_shown(at) if "Stakeholder role" in t.columns)
    expected = queries.role_activity(real_db, Filters())
    assert list(activity["Stakeholder role"]) == [schema.ROLES[r] for r in expected["role"]]
    assert activity["Evidence recorded"].astype(int).tolist() == expected["evidence"].tolist()
    assert activity["Assessments"].astype(int).tolist() == expected["assessments"].tolist()
