"""The Filters value: validation of URL values, round trips, and the plain-English description."""

from __future__ import annotations

from upr_data.filters import Filters


def test_valid_values_are_kept_and_normalised():
    f = Filters.from_params({
        "cycle": ["2", "1", "2"], "theme": "Land_Housing", "response": ["SUPPORTED"],
        "state": "deu", "region": "weog", "status": "not_assessed", "action": "5",
        "q": "  freedom   of  expression ", "evidence": "Without",
    })  # fmt: skip
    assert f.cycles == (1, 2)
    assert f.themes == ("land_housing",)
    assert f.responses == ("supported",)
    assert f.states == ("DEU",)
    assert f.regions == ("WEOG",)
    assert f.statuses == ("not_assessed",)
    assert f.actions == ("5",)
    assert f.text == "freedom of expression"
    assert f.evidence == "without"
    assert f.notes == ()


def test_unknown_values_are_dropped_with_a_note():
    f = Filters.from_params({"theme": ["nonsense", "women"], "cycle": "x", "state": "ZZZ",
                             "evidence": "maybe"})  # fmt: skip
    assert f.themes == ("women",)
    assert f.cycles == () and f.states == () and f.evidence == ""
    assert len(f.notes) == 4
    assert any("nonsense" in note for note in f.notes)


def test_comma_separated_values_count_as_several_but_not_in_text():
    f = Filters.from_params({"response": "supported,noted", "q": "land, housing"})
    assert f.responses == ("noted", "supported")
    assert f.text == "land, housing"


def test_long_text_is_cut_with_a_note():
    f = Filters.from_params({"q": "x" * 500})
    assert len(f.text) == 200 and f.notes


def test_round_trip_through_the_url():
    f = Filters(cycles=(2,), themes=("land_housing", "women"), states=("DEU",), text="a'b")
    again = Filters.from_params(f.to_params())
    assert again == f
    assert f.to_params() == {"cycle": ["2"], "theme": ["land_housing", "women"],
                             "state": ["DEU"], "q": ["a'b"]}  # fmt: skip
    assert Filters().to_params() == {} and Filters().is_empty


def test_description_names_every_condition():
    f = Filters(themes=("land_housing", "women"), responses=("supported",), cycles=(2,))
    assert f.describe(198) == (
        "198 recommendations where cycle is 2, theme is Land, housing and forced evictions or "
        "Women's rights and gender equality, and response is Supported"
    )
    assert Filters().describe(1) == "1 recommendation, all shown"
    assert Filters(states=("DEU",)).describe(5, "states") == (
        "5 recommendations by recommending States where recommending State is Germany"
    )
    assert Filters(evidence="without", text="NHRI").describe(2) == (
        "2 recommendations where there is no evidence and text contains “NHRI”"
    )
