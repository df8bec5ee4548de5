"""The pages show the evidence (AppTest, from app.py, on the bundled store): the Progress page's
timelines by theme and by kind of source, the Overview's sentence on how much evidence there is
and how recent, and the newest items on the first slide."""

from __future__ import annotations

import json
import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.chart_text import subtitle_text, title_text
from tests.test_pages import open_page, tables_shown
from upr_data import queries, schema, tables
from upr_data.filters import Filters


@pytest.fixture(autouse=True)
def fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def chart_titles(at: AppTest) -> dict[str, str]:
    """{title: subtitle} of every chart on the page."""
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    titles = [s.get("title") for s in specs if isinstance(s.get("title"), dict)]
    return {title_text({"title": t}): subtitle_text({"title": t}) for t in titles}


@pytest.mark.parametrize("params", [{}, {"theme": "labour", "cycle": "2"}])
def test_progress_shows_evidence_over_time_by_theme_and_by_kind_of_source(real_db, params):
    at = open_page("progress", **params)
    f = Filters.from_params(params)
    n = int(queries.evidence_timeline(real_db, f)["total"].iloc[0])
    phrase = f"n = {n} dated pieces of evidence bearing on the selection"
    assert [h.value for h in at.header][:2] == ["Evidence", "Assessments"]
    # One evidence chart at a time, the timeline first; the reader picks the others.
    assert list(chart_titles(at)) == ["Evidence over time"]
    # A chart's table is drawn once the reader opens its "Table" tab (ui.common.chart_panel).
    assert not at.dataframe
    at.session_state["tabs-evidence"] = "Table"
    at.run()
    listing = next(d.value for d in at.dataframe if "What happened" in d.value.columns)
    assert {"Kind of source", "Publisher"} <= set(listing.columns)
    assert set(listing["Kind of source"]) <= {"Government", "UN", "Civil society", "Media"}

    at.radio(key="evidence_view").set_value("theme")
    at.session_state["tabs-evidence-theme"] = "Table"
    at.run()
    titles = chart_titles(at)
    assert list(titles) == ["Evidence by theme and year"] and phrase in titles[list(titles)[0]]
    by_theme = next(d.value for d in at.dataframe if "Theme" in d.value.columns)
    expected = queries.evidence_by_theme(real_db, f)
    assert by_theme["Pieces of evidence"].tolist() == expected["n"].tolist()

    at.radio(key="evidence_view").set_value("source_kind")
    at.session_state["tabs-evidence-kind"] = "Table"
    at.run()
    titles = chart_titles(at)
    assert list(titles) == ["Evidence by kind of source and year"]
    assert phrase in titles["Evidence by kind of source and year"]
    by_kind = next(d.value for d in at.dataframe if "Year" in d.value.columns)
    assert by_kind["Pieces of evidence"].sum() == n


def test_progress_lists_the_sourced_assessments_with_where_the_source_says_so():
    at = open_page("progress")
    assessments = next(t for t in tables_shown(at) if "Where in the source" in t.columns)
    assert len(assessments) == 6
    assert set(assessments["Date"]) == {"2018"}
    assert assessments["Where in the source"].str.contains("previous UPR cycles").all()


def test_overview_says_how_many_recommendations_have_evidence_and_how_recent(real_db):
    at = open_page("overview")
    since = tables.recent_since()
    recency = queries.evidence_recency(real_db, Filters(), since)
    sentence = tables.evidence_recency(recency, 296, since)
    assert sentence in [safe_read(m.value) for m in at.markdown]  # shown as text
    assert f"Evidence bears on {recency['with_evidence']} of 296 recommendations" in sentence
    assert recency["with_evidence"] == queries.summary(real_db, Filters())["with_evidence"]
    assert recency["latest"].year >= 2025


def test_the_first_slide_carries_the_newest_evidence(real_db):
    at = open_page("present", slide="1")
    newest = queries.evidence_timeline(real_db, Filters(), limit=1).iloc[0]
    text = " ".join(m.value for m in at.markdown)
    assert "Evidence, " in text and newest["publisher"] in text


def test_a_recommendation_in_full_says_who_published_each_source_and_why_it_bears_on_it(real_db):
    from ui import safe

    detail = queries.recommendation(real_db, "KHM-2-118.53")
    item = detail["evidence"].iloc[0]
    stated = detail["assessments"].iloc[0]
    at = open_page("explore", rec="KHM-2-118.53")
    shown = [safe_read(m.value) for m in [*at.markdown, *at.caption]]
    # the evidence: the link's reason under the summary; publisher and kind before the source
    line = next(s for s in shown if item["summary"] in s)
    assert f"Why it bears on this recommendation: {item['reason']}" in line
    assert f"{item['publisher']} (Civil society) · {item['source_title']}" in line
    assert line.index(item["summary"]) < line.index("Why it bears") < line.index(item["publisher"])
    # the assessment: dated by year only, with its source and where in it the judgement is
    assert any(s.startswith("Not implemented (2018, ") for s in shown), shown
    assert not any("2018-01-01" in s for s in shown)
    assert f"Source: {stated['source']}, {stated['source_location']}" in shown
    assert any(safe.safe_url(item["source_url"]) in m.value for m in at.markdown)


def safe_read(markdown: str) -> str:
    """What a Markdown source made by ui.safe displays: escapes read, emphasis and word joiners
    dropped, a link shown as its label."""
    text = re.sub(r"\[((?:\\.|[^\]\\])*)\]\([^)]*\)", r"\1", markdown)  # [label](address)
    text = re.sub(r"(?<!\\)[*~]", "", text)  # emphasis marks
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


def test_the_chosen_evidence_chart_is_in_the_link_and_the_link_opens_it():
    at = open_page("progress")
    assert "evidence_by" not in at.query_params  # the default stays out of the link
    at.radio(key="evidence_view").set_value("theme").run()
    assert at.query_params["evidence_by"] == "theme"
    assert list(chart_titles(at)) == ["Evidence by theme and year"]
    at.radio(key="evidence_view").set_value("time").run()
    assert "evidence_by" not in at.query_params

    shared = open_page("progress", evidence_by="source_kind", theme="labour")
    assert shared.radio(key="evidence_view").value == "source_kind"
    assert list(chart_titles(shared)) == ["Evidence by kind of source and year"]
    assert shared.query_params["theme"] == "labour"  # the filters stay beside it

    wrong = open_page("progress", evidence_by="pie")
    assert list(chart_titles(wrong)) == ["Evidence over time"]
    assert wrong.query_params["evidence_by"] == "time"  # corrected in the link


@pytest.mark.parametrize("page, key", [("overview", "overview_role"), ("themes", "themes_role")])
def test_whose_assessments_a_status_chart_shows_is_in_the_link(page, key):
    def role_in_titles(at: AppTest, role: str) -> bool:
        # "…, as assessed by: Civil society" (Overview), "… and status (Civil society)" (Themes)
        label = schema.ROLES[role]
        return any(f": {label}" in t or f"({label})" in t for t in chart_titles(at))

    at = open_page(page)
    assert at.button_group(key=key).value == "civil_society"
    assert role_in_titles(at, "civil_society")
    assert "assessed_by" not in at.query_params
    at.button_group(key=key).set_value("government").run()
    assert at.query_params["assessed_by"] == "government"
    assert role_in_titles(at, "government") and not role_in_titles(at, "civil_society")

    shared = open_page(page, assessed_by="un")
    assert shared.button_group(key=key).value == "un"
    assert role_in_titles(shared, "un")
