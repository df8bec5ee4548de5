"""Evidence by theme, by kind of source and by recency: queries, charts, tables and slides on the
tiny store (SYNTHETIC data, answers worked out by hand from tests/tiny_store.py).

E1 (2019, progress, media) bears on R1 (ratification, disabilities) and R2 (land_housing); E2
(2021, regression, civil society) on R3 (detention); E4 (2018, mixed, government) on R4
(death_penalty) and supersedes E3.
"""

from __future__ import annotations

import json
from datetime import date

import pyarrow as pa

from upr_data import charts, queries, schema, slides, store, tables
from upr_data.filters import Filters

R1, R2, R3, R4 = "KHM-1-10.1", "KHM-1-10.2", "KHM-1-10.3", "KHM-2-20.1"


def test_evidence_by_theme_counts_each_item_once_per_theme(tiny_db):
    frame = queries.evidence_by_theme(tiny_db, Filters())
    rows = {(r.theme, r.year): (r.n, r.progress, r.regression, r.mixed) for r in frame.itertuples()}
    assert rows == {
        ("death_penalty", 2018): (1, 0, 0, 1),  # E4; E3 was superseded
        ("disabilities", 2019): (1, 1, 0, 0),
        ("land_housing", 2019): (1, 1, 0, 0),
        ("ratification", 2019): (1, 1, 0, 0),
        ("detention", 2021): (1, 0, 1, 0),
    }


def test_evidence_by_theme_follows_the_filter_and_only_the_chosen_themes(tiny_db):
    # E1 also bears on R1, but only land_housing was chosen
    frame = queries.evidence_by_theme(tiny_db, Filters(themes=("land_housing",)))
    assert frame[["theme", "year", "n"]].values.tolist() == [["land_housing", 2019, 1]]
    frame = queries.evidence_by_theme(tiny_db, Filters(cycles=(2,)))
    assert frame[["theme", "year", "n"]].values.tolist() == [["death_penalty", 2018, 1]]
    assert queries.evidence_by_theme(tiny_db, Filters(text="nothing matches")).empty


def test_evidence_by_kind(tiny_db):
    frame = queries.evidence_by_kind(tiny_db, Filters())
    assert frame[
        ["source_kind", "year", "n", "progress", "regression", "mixed"]
    ].values.tolist() == [
        ["civil_society", 2021, 1, 0, 1, 0],
        ["government", 2018, 1, 0, 0, 1],
        ["media", 2019, 1, 1, 0, 0],
    ]
    only_r3 = queries.evidence_by_kind(tiny_db, Filters(responses=("noted",)))
    assert only_r3[["source_kind", "n"]].values.tolist() == [["civil_society", 1]]


def test_an_item_without_a_kind_of_source_is_counted_as_not_recorded(tiny):
    row = store.read_table(tiny, "evidence").slice(0, 1).to_pylist()[0]
    row.update(evidence_id="E9", source_kind=None, entered_by="editor@example.org")
    store.append(
        tiny,
        {
            "evidence": pa.Table.from_pylist([row], schema.TABLES["evidence"]),
            "evidence_links": pa.Table.from_pylist(
                [dict(evidence_id="E9", rec_id=R3)], schema.TABLES["evidence_links"]
            ),
        },
    )
    frame = queries.evidence_by_kind(queries.connect(tiny), Filters())
    assert frame.set_index("source_kind").loc["not_recorded", "n"] == 1
    shown = tables.evidence_counts(frame, "source_kind")
    assert "Kind not recorded" in shown["Kind of source"].tolist()


def test_evidence_recency(tiny_db):
    recency = queries.evidence_recency(tiny_db, Filters(), date(2020, 1, 1))
    assert recency == {
        "items": 3,
        "with_evidence": 4,
        "with_recent": 1,  # R3, through E2 of 2021
        "latest": date(2021, 6, 1),
        "latest_precision": "day",
    }
    none = queries.evidence_recency(tiny_db, Filters(text="nothing matches"), date(2020, 1, 1))
    assert none["items"] == 0 and none["latest"] is None


def test_the_recency_sentence_says_how_many_and_how_recent(tiny_db):
    since = tables.recent_since(date(2021, 12, 31))
    assert since == date(2017, 1, 1)
    recency = queries.evidence_recency(tiny_db, Filters(), since)
    assert tables.evidence_recency(recency, 4, since) == (
        "Evidence bears on 4 of 4 recommendations (3 dated pieces of evidence). The newest is "
        "dated 2021-06-01; 4 of them have evidence from 2017 or later."
    )
    empty = queries.evidence_recency(tiny_db, Filters(text="nothing matches"), since)
    assert tables.evidence_recency(empty, 0, since) == (
        "No evidence is recorded for this selection yet."
    )


def test_the_timeline_and_a_recommendation_carry_the_source_and_the_reason(tiny_db):
    timeline = queries.evidence_timeline(tiny_db, Filters()).set_index("evidence_id")
    assert timeline.loc["E2", ["source_kind", "publisher"]].tolist() == [
        "civil_society",
        "Publisher of E2",
    ]
    shown = tables.evidence(timeline.reset_index())
    assert shown[["Kind of source", "Publisher"]].values.tolist()[0] == [
        "Government",
        "Publisher of E4",
    ]
    detail = queries.recommendation(tiny_db, R1)["evidence"]
    assert detail[["evidence_id", "reason"]].values.tolist() == [["E1", "SYNTHETIC: ratified"]]
    recent = queries.recent_changes(tiny_db, Filters(), 10)
    assert recent[recent["kind"] == "evidence"]["published_by"].tolist() == [
        "Publisher of E2",
        "Publisher of E1",
        "Publisher of E4",
    ]


def test_the_grids_write_each_count_and_say_n(tiny_db):
    by_theme = queries.evidence_by_theme(tiny_db, Filters())
    spec = charts.evidence_by_theme(by_theme, 3).to_dict()
    text = json.dumps(spec)
    assert "Evidence by theme and year" in text and "n = 3 dated pieces of evidence" in text
    cells, labels = spec["layer"]
    assert labels["mark"]["type"] == "text" and labels["encoding"]["text"]["field"] == "n"
    assert cells["encoding"]["x"]["scale"]["domain"] == [2018, 2019, 2020, 2021]
    rows = cells["encoding"]["y"]["sort"]
    assert set(rows) == {
        "Death penalty",
        "Persons with disabilities",
        "Land, housing and forced evictions",
        "Ratification of international instruments",
        "Detention, prison conditions and political prisoners",
    }
    by_kind = queries.evidence_by_kind(tiny_db, Filters())
    spec = charts.evidence_by_kind(by_kind, 3).to_dict()
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["Government", "Civil society", "Media"]
    assert "Evidence by kind of source and year" in json.dumps(spec)


def test_the_tables_of_the_grids(tiny_db):
    frame = tables.evidence_counts(queries.evidence_by_theme(tiny_db, Filters()), "theme")
    assert list(frame.columns) == [
        "Theme",
        "Year",
        "Pieces of evidence",
        "Progress",
        "Regression",
        "Mixed",
        "No change",
    ]
    assert frame.iloc[0].tolist() == ["Death penalty", 2018, 1, 0, 0, 1, 0]


def test_the_first_slide_and_each_theme_slide_carry_the_newest_evidence(tiny_db):
    deck = slides.build(tiny_db, Filters())
    # the two newest, then the plan's line (the tiny store holds no plan)
    assert deck[0].bullets == [
        "Evidence, 2021-06-01 · Regression: SYNTHETIC E2 (Publisher of E2)",
        "Evidence, 2019-05-01 · Progress: SYNTHETIC E1 (Publisher of E1)",
        "No implementation plan is loaded: who is responsible, and by when, is not known here.",
    ]
    land = next(s for s in deck if s.title.startswith("Land"))
    assert land.bullets == ["Evidence, 2019-05-01 · Progress: SYNTHETIC E1 (Publisher of E1)"]
    assert slides.build(tiny_db, Filters(text="nothing matches"))[0].bullets == []


def test_a_long_summary_is_cut_at_a_word_on_a_slide():
    text = "word " * 60
    short = slides._short(text)
    assert short.endswith(" …") and len(short) <= slides.SUMMARY_CHARS + 2
    assert slides._short("short one") == "short one"
