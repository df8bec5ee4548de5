"""Every query on the tiny store, against answers worked out by hand (see tests/tiny_store.py)."""

from __future__ import annotations

import pytest

from upr_data import queries
from upr_data.filters import Filters

R1, R2, R3, R4 = "KHM-1-10.1", "KHM-1-10.2", "KHM-1-10.3", "KHM-2-20.1"


def ids(db, f: Filters) -> list[str]:
    return list(queries.recommendations(db, f)["rec_id"])


FILTER_CASES = [
        (Filters(), [R1, R2, R3, R4]),
        (Filters(cycles=(2,)), [R4]),
        (Filters(responses=("noted",)), [R3]),
        (Filters(themes=("land_housing",)), [R2]),
        (Filters(themes=("land_housing", "detention")), [R2, R3]),
        (Filters(groups=("persons_disabilities",)), [R1]),
        # R4's classifier said 3; a curator's 5 replaces it
        (Filters(actions=("5",)), [R1, R3, R4]),
        (Filters(actions=("3",)), []),
        (Filters(states=("DEU",)), [R1, R4]),
        (Filters(regions=("GRULAC",)), [R2]),
        (Filters(statuses=("not_assessed",)), [R3, R4]),
        (Filters(statuses=("fully_implemented",)), [R1]),
        # civil society's latest on R1 is partial (A3 after A2); A4 was superseded by A5
        (Filters(statuses=("partially_implemented",)), [R1]),
        (Filters(statuses=("not_implemented",)), [R2]),
        (Filters(statuses=("not_implemented",), roles=("civil_society",)), []),
        (Filters(statuses=("not_assessed",), roles=("civil_society",)), [R2, R3, R4]),
        (Filters(roles=("civil_society",)), [R1]),
        (Filters(evidence="with", cycles=(1,)), [R1, R2, R3]),
        (Filters(evidence="without"), []),
        (Filters(cycles=(1,), responses=("supported",), states=("FRA",)), [R2]),
        (Filters(themes=("nonsense",)), []),
        (Filters(themes=("land_housing", "nonsense")), [R2]),
]  # fmt: skip


@pytest.mark.parametrize(("f", "expected"), FILTER_CASES)
def test_filters_select_the_right_rows(tiny_db, f, expected):
    assert ids(tiny_db, f) == expected
    assert queries.count(tiny_db, f) == len(expected)


def test_filters_past_the_bit_masks_give_the_same_rows(tiny, monkeypatch):
    # A scheme with more codes than a mask has bits is filtered through the tags instead, and
    # States past the State words through the State rows.
    monkeypatch.setattr(queries, "MASK_BITS", 1)
    monkeypatch.setattr(queries, "STATE_WORDS", 0)
    db = queries.connect(tiny)
    for f, expected in FILTER_CASES:
        assert ids(db, f) == expected, f
        assert queries.count(db, f) == len(expected), f
    hits = queries._memo(db).hits  # the tag and State filters did go through `_hits`
    assert {key[1] for key in hits} >= {("DEU",), ("FRA",)}
    assert len(hits) > 2


@pytest.mark.parametrize("words", [queries.STATE_WORDS, 0])
def test_chosen_states_count_their_own_rows(tiny, monkeypatch, words):
    # R2 is a cluster of France and Brazil; Germany recommended R1 and R4
    monkeypatch.setattr(queries, "STATE_WORDS", words)
    db = queries.connect(tiny)
    both = Filters(states=("FRA", "BRA"))
    assert (queries.count(db, both), queries.count(db, both, "states")) == (1, 2)
    assert queries.count(db, Filters(states=("FRA", "DEU")), "states") == 3
    assert queries.count(db, Filters(states=("ZZZ",)), "states") == 0
    frame = queries.by_theme_response(db, Filters(states=("BRA", "ZZZ")), "states")
    assert frame["n"].tolist() == [1]  # R2's land tag, counted once: one chosen State


def test_the_matches_of_a_filter_are_computed_once_and_can_be_forgotten(tiny, tiny_db):
    f = Filters(text="ratify")
    assert ids(tiny_db, f) == [R1]
    memo = queries._memo(tiny_db)
    assert list(memo.hits) == [("ratify", (), (), ())]
    assert queries.count(tiny_db, f) == 1
    assert len(memo.hits) == 1  # reused, not computed again
    other = queries.connect(tiny)
    assert queries._memo(other).hits == {}  # each database has its own
    queries.forget_hits(tiny_db)
    assert memo.hits == {}
    assert ids(tiny_db, f) == [R1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("land_reform", [R2]),
        ("_", [R2]),  # LIKE wildcards are literal
        ("%", [R2]),
        ("100%", [R2]),
        ("prisoners'", [R3]),
        ("10.3", [R3]),  # a paragraph number
        ("khm-2-20.1", [R4]),  # an id
        ("'; DROP TABLE recommendations; --", []),
        ("\\", []),
        ('" OR 1=1 --', []),
        ("ratify", [R1]),
        # inside a word, any case; across words (these go through every text, not the words)
        ("ERMAN", [R1, R4]),
        ("(germany);", [R1, R4]),
        ("the death penalty", [R4]),
        ("penalty (germany", [R4]),
        ("he ", [R1, R3, R4]),
    ],
)
def test_text_search_is_literal_and_safe(tiny_db, text, expected):
    assert ids(tiny_db, Filters(text=text)) == expected
    assert queries.count(tiny_db, Filters()) == 4  # the tables are all still there


def test_counting_basis(tiny_db):
    assert queries.count(tiny_db, Filters(), "states") == 5
    assert queries.count(tiny_db, Filters(themes=("land_housing",)), "states") == 2
    # with a State filter, only that State's rows count
    assert queries.count(tiny_db, Filters(states=("FRA",)), "states") == 1
    assert queries.count(tiny_db, Filters(regions=("WEOG",)), "states") == 4
    with pytest.raises(ValueError):
        queries.count(tiny_db, Filters(), "bogus")
    # R2 is credited to France (WEOG) and Brazil (GRULAC): it is selected by "France" and
    # "GRULAC", but no State row of it is both, so by State it counts for nothing.
    both = Filters(states=("FRA",), regions=("GRULAC",))
    assert ids(tiny_db, both) == [R2]
    assert queries.count(tiny_db, both, "states") == 0
    assert queries.by_theme_response(tiny_db, both, "states").empty
    assert queries.by_theme_response(tiny_db, both)["n"].sum() >= 1


def test_summary(tiny_db):
    assert queries.summary(tiny_db, Filters()) == {
        "recommendations": 4,
        "supported": 3,
        "partially_supported": 0,
        "noted": 1,
        "pending": 0,
        "assessed": 2,
        "with_evidence": 4,
        "recommending_states": 4,
        "state_recommendations": 5,
        "cycles": 2,
    }
    assert queries.summary(tiny_db, Filters(states=("DEU",)))["recommending_states"] == 1


def test_by_theme_response(tiny_db):
    frame = queries.by_theme_response(tiny_db, Filters())
    got = {(r.theme, r.response): r.n for r in frame.itertuples()}
    assert got == {
        ("death_penalty", "supported"): 1,
        ("detention", "noted"): 1,
        ("disabilities", "supported"): 1,
        ("land_housing", "supported"): 1,
        ("ratification", "supported"): 1,
    }
    by_state = queries.by_theme_response(tiny_db, Filters(), "states")
    assert by_state.set_index("theme").loc["land_housing", "n"] == 2
    only = queries.by_theme_response(tiny_db, Filters(themes=("ratification",)))
    assert list(only["theme"]) == ["ratification"]


def test_by_role_status(tiny_db):
    frame = queries.by_role_status(tiny_db, Filters())
    got = {(r.role, r.status): r.n for r in frame.itertuples()}
    assert got[("government", "fully_implemented")] == 1
    assert got[("government", "not_implemented")] == 1
    assert got[("government", "not_assessed")] == 2
    assert got[("civil_society", "partially_implemented")] == 1
    assert got[("civil_society", "not_assessed")] == 3
    assert got[("public", "not_assessed")] == 4
    assert frame.groupby("role")["n"].sum().eq(4).all()


def test_by_theme_and_action_status(tiny_db):
    themes = queries.by_theme_status(tiny_db, Filters(), "government")
    got = {(r.theme, r.status): r.n for r in themes.itertuples()}
    assert got[("land_housing", "not_implemented")] == 1
    assert got[("ratification", "fully_implemented")] == 1
    assert got[("detention", "not_assessed")] == 1
    actions = queries.by_action_status(tiny_db, Filters(), "government")
    assert actions.groupby("action_category")["n"].sum().to_dict() == {"2": 1, "5": 3}


def test_by_state_and_region(tiny_db):
    states = queries.by_state(tiny_db, Filters()).set_index("iso3")
    assert states.loc["DEU", "recommendations"] == 2
    assert states.loc["DEU", "share_supported"] == 1.0
    assert states.loc["USA", "supported"] == 0
    assert states.loc["BRA", "recommendations"] == 1  # credited on the cluster
    assert list(states.loc["DEU", "cycles"]) == [1, 2]
    regions = queries.by_region(tiny_db, Filters()).set_index("regional_group")
    assert regions.loc["WEOG", ["states", "recommendations", "supported"]].tolist() == [3, 4, 3]
    assert regions.loc["GRULAC", "recommendations"] == 1


def test_by_state_lists_cycles_past_the_bits_too(tiny, monkeypatch):
    # cycles 0-63 are gathered as bits; a store with others lists them the slow way
    db = queries.connect(tiny)
    monkeypatch.setattr(queries._memo(db), "cycles_fit", False)
    states = queries.by_state(db, Filters()).set_index("iso3")
    assert list(states.loc["DEU", "cycles"]) == [1, 2]
    assert list(states.loc["FRA", "cycles"]) == [1]


def test_recommendation_list_columns(tiny_db):
    frame = queries.recommendations(tiny_db, Filters()).set_index("rec_id")
    assert frame.loc[R1, "status_government"] == "fully_implemented"
    assert frame.loc[R1, "status_civil_society"] == "partially_implemented"
    assert frame.loc[R2, "states"] == "Brazil; France"
    assert frame.loc[R4, "action_category"] == "5"
    assert list(frame.loc[R1, "themes"]) == ["disabilities", "ratification"]
    assert len(queries.recommendations(tiny_db, Filters(), limit=2)) == 2


def test_one_recommendation_in_full(tiny_db):
    detail = queries.recommendation(tiny_db, R4)
    assert list(detail["history"]["response"]) == ["noted", "supported"]
    tags = detail["tags"].set_index(["scheme", "code"])
    assert not tags.loc[("action_category", "3"), "in_effect"]
    assert tags.loc[("action_category", "5"), "in_effect"]
    assert list(detail["evidence"]["evidence_id"]) == ["E4"]  # E3 was superseded
    r1 = queries.recommendation(tiny_db, R1)
    assert r1["assessments"]["assessment_id"].tolist() == ["A3", "A2", "A1"]
    assert queries.recommendation(tiny_db, "KHM-9-1.1") is None


def test_timelines(tiny_db):
    evidence = queries.evidence_timeline(tiny_db, Filters())
    assert list(evidence["evidence_id"]) == ["E4", "E1", "E2"]
    assert evidence.set_index("evidence_id").loc["E1", "recommendations"] == 2
    only_r1 = queries.evidence_timeline(tiny_db, Filters(text="ratify"))
    assert list(only_r1["rec_ids"].iloc[0]) == [R1]
    assessments = queries.assessment_timeline(tiny_db, Filters())
    assert list(assessments["assessment_id"]) == ["A2", "A1", "A3", "A5"]
    recent = queries.recent_changes(tiny_db, Filters(), 3)
    assert list(recent["kind"]) == ["evidence", "assessment", "assessment"]
    assert list(recent["what"]) == ["regression", "not_implemented", "partially_implemented"]
    # E1 has two links and still comes once; E3 was superseded by E4
    recent = queries.recent_changes(tiny_db, Filters(), 10)
    evidence = recent[recent["kind"] == "evidence"]
    assert list(evidence["detail"]) == ["SYNTHETIC E2", "SYNTHETIC E1", "SYNTHETIC E4"]
    assert len(recent) == 3 + len(assessments)


def test_coverage(tiny_db):
    frame = queries.coverage(tiny_db).set_index("cycle")
    assert frame.loc[
        1, ["loaded", "loaded_supported", "loaded_noted", "loaded_states"]
    ].tolist() == [3, 2, 1, 4]
    assert frame.loc[3, "loaded"] == 0
    assert frame.loc[3, "official_recommendations"] == 198


def test_stakeholder_queries(tiny_db):
    activity = queries.role_activity(tiny_db, Filters()).set_index("role")
    assert activity.loc["government"].tolist() == [2, 2, 3]
    assert activity.loc["civil_society"].tolist() == [1, 2, 1]
    assert activity.loc["public"].tolist() == [0, 0, 0]
    disagree = queries.disagreements(tiny_db, Filters())
    assert list(disagree["rec_id"]) == [R1]
    assert disagree["total"].tolist() == [1]
    assert queries.disagreements(tiny_db, Filters(), limit=0).empty
    assert disagree.iloc[0][["first_status", "second_status"]].tolist() == [
        "fully_implemented",
        "partially_implemented",
    ]


def test_pickers(tiny_db):
    assert queries.cycles_present(tiny_db) == [1, 2]
    assert queries.states_present(tiny_db)["iso3"].tolist() == ["BRA", "FRA", "DEU", "USA"]
