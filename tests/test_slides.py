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
