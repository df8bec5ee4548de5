from __future__ import annotations

import pytest

from upr_data import queries, slides
from upr_data.filters import Filters


def test_overview_then_one_slide_per_theme(tiny_db):
    deck = slides.build(tiny_db, Filters())
    assert deck[0].figures[0] == ("Recommendations", "4")
    assert ("Supported", "3 (75 %)") in deck[0].figures
    themes = {s.title for s in deck[1:]}
    assert "Land, housing and forced evictions" in themes and len(deck) == 6
    assert all(s.chart_data is not None and not s.chart_data.empty for s in deck)
    land = next(s for s in deck if s.title.startswith("Land"))
    assert land.figures[0] == ("Recommendations", "1")
    assert land.subtitle == "1 recommendation where theme is Land, housing and forced evictions"


def test_one_slide_per_role(tiny_db):
    deck = slides.build(tiny_db, Filters(), "role")
    assert [s.title for s in deck[1:]] == [
        "Government",
        "Recommending States",
        "Civil society",
        "The public",
        "UN bodies",
    ]
    government = deck[1]
    assert ("Assessments", "2") in government.figures
    assert government.bullets


def test_an_empty_selection_is_one_slide(tiny_db):
    deck = slides.build(tiny_db, Filters(text="nothing matches this"))
    assert len(deck) == 1 and deck[0].figures[0] == ("Recommendations", "0")
    with pytest.raises(ValueError):
        slides.build(tiny_db, Filters(), "colour")


def test_real_store_slides_follow_the_filter(real_db):
    f = Filters(cycles=(2,), responses=("noted",))
    deck = slides.build(real_db, f)
    assert deck[0].figures[0][1] == str(queries.count(real_db, f)) == "42"


def test_every_theme_of_the_selection_has_a_slide(real_db):
    """No cap: the small themes (human rights defenders, civic space, the death penalty) get a
    slide too, largest first, each with its own count."""
    for f in (Filters(), Filters(cycles=(1,)), Filters(responses=("noted",))):
        deck = slides.build(real_db, f)
        themes = queries.by_theme_response(real_db, f).groupby("theme")["n"].sum()
        assert [s.subject for s in deck[1:]] == list(
            themes.sort_index().sort_values(ascending=False, kind="stable").index
        )
        for s in deck[1:]:
            assert s.figures[0][1] == str(queries.count(real_db, f.with_(themes=(s.subject,))))
    titles = [s.title for s in slides.build(real_db, Filters())]
    assert len(titles) == 1 + 30 and len(set(titles)) == len(titles)
    for title in ("Human rights defenders", "Civil society space and NGOs", "Death penalty"):
        assert title in titles


def test_each_slide_charts_its_own_subject(real_db):
    deck = slides.build(real_db, Filters())
    for s in deck:
        # Responses by cycle of the whole selection, then of each theme: they add up to the
        # slide's own count.
        assert s.chart == "cycles"
        assert int(s.chart_data["n"].sum()) == int(s.figures[0][1])
    land = next(s for s in deck if s.subject == "land_housing")
    expected = queries.by_theme_response(real_db, Filters(cycles=(2,), themes=("land_housing",)))
    by_cycle = land.chart_data.groupby("cycle")["n"].sum()
    assert by_cycle[2] == expected["n"].sum() and set(by_cycle.index) == {1, 2}
    roles = slides.build(real_db, Filters(), "role")
    statuses = queries.by_role_status(real_db, Filters())
    for s in roles[1:]:
        assert s.chart == "statuses"
        mine = statuses[statuses["role"] == s.subject]
        assert dict(zip(s.chart_data["status"], s.chart_data["n"], strict=True)) == dict(
            zip(mine["status"], mine["n"], strict=True)
        )
    civil = next(s for s in roles if s.subject == "civil_society")
    assert "not_implemented" in set(civil.chart_data["status"])  # not only "not assessed"


def test_every_slide_names_the_cycles_not_loaded(real_db, tiny_db):
    note = "Not counted here (not loaded): cycle 3 (2019, 198 recommendations) and cycle 4 (2024)."
    for by in slides.BY:
        assert {s.missing for s in slides.build(real_db, Filters(), by)} == {note}
    # The tiny store knows cycle 3 by its total only.
    assert {s.missing for s in slides.build(tiny_db, Filters())} == {
        "Not counted here (not loaded): cycle 3 (198 recommendations)."
    }


def test_no_statement_where_every_known_cycle_is_loaded(real_db):
    coverage = queries.coverage(real_db, "KHM")
    assert slides.missing_note(coverage[coverage["loaded"] > 0]) == ""
    assert slides.missing_note(coverage.iloc[0:0]) == ""
