"""Recurring recommendations across cycles: on the real store, and on SYNTHETIC frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from upr_data import recurrence
from upr_data.settings import DEFAULT_STORE

NHRI_CYCLE_2 = [f"KHM-2-118.{n}" for n in range(28, 39)]  # the eleven NHRI recommendations


@pytest.fixture(scope="module")
def real_links() -> pd.DataFrame:
    return recurrence.from_store(DEFAULT_STORE)


def test_nhri_recommendations_link_across_cycles(real_links: pd.DataFrame):
    best = real_links.groupby("rec_id").head(1).set_index("rec_id")
    for rid in NHRI_CYCLE_2:
        assert best.loc[rid, "other_rec_id"] == "KHM-1-82.7", rid
    from_cycle_1 = real_links[real_links["rec_id"] == "KHM-1-82.7"]
    assert set(from_cycle_1["other_rec_id"]) <= set(NHRI_CYCLE_2)
    assert len(from_cycle_1) == recurrence.TOP


def test_links_respect_the_rules(real_links: pd.DataFrame):
    assert list(real_links.columns) == recurrence.COLUMNS
    assert (real_links["score"] >= recurrence.THRESHOLD).all()
    assert (real_links["text_score"] >= recurrence.MIN_TEXT).all()
    combined = (
        recurrence.TEXT_WEIGHT * real_links["text_score"]
        + (1 - recurrence.TEXT_WEIGHT) * real_links["theme_score"]
    )
    assert np.allclose(combined, real_links["score"], atol=1e-3)
    cycle = real_links["rec_id"].str.split("-").str[1]
    other = real_links["other_rec_id"].str.split("-").str[1]
    assert (cycle != other).all()
    assert real_links.groupby(["rec_id"]).size().max() <= recurrence.TOP
    linked = real_links[cycle == "2"]["rec_id"].nunique()
    assert 50 <= linked <= 120  # 71 of 205 at the threshold of the report


def test_terms_drop_states_and_stop_words():
    words = recurrence.terms(
        "Continue efforts to establish national human rights institutions (Iran (Islamic "
        "Republic of)); (b) ensure the independence of the judiciary (France);"
    )
    assert "iran" not in words and "france" not in words and "continue" not in words
    assert "institution" in words and "human right" in words


def test_synthetic_frames():
    recs = pd.DataFrame(
        [
            ("KHM-1-1.1", "KHM", 1, "SYNTHETIC establish a test registry of widgets (France);"),
            ("KHM-2-1.1", "KHM", 2, "SYNTHETIC establish the test registry of widgets (Chile);"),
            ("KHM-2-1.2", "KHM", 2, "SYNTHETIC abolish an unrelated gadget tax (Peru);"),
            ("KHM-1-1.2", "KHM", 1, "SYNTHETIC abolish an unrelated gadget tax (Peru);"),
            ("THA-1-1.1", "THA", 1, "SYNTHETIC establish a test registry of widgets (Japan);"),
        ],
        columns=["rec_id", "sur", "cycle", "text"],
    )
    tags = pd.DataFrame(
        [
            ("KHM-1-1.1", "theme", "nhri", "classifier"),
            ("KHM-2-1.1", "theme", "nhri", "classifier"),
            ("KHM-2-1.1", "theme", "labour", "curator"),  # the curator's theme replaces nhri
        ],
        columns=["rec_id", "scheme", "code", "provenance"],
    )
    found = recurrence.links(recs, tags)
    pairs = set(zip(found["rec_id"], found["other_rec_id"], strict=True))
    assert ("KHM-1-1.1", "KHM-2-1.1") in pairs and ("KHM-2-1.1", "KHM-1-1.1") in pairs
    assert ("KHM-2-1.2", "KHM-1-1.2") in pairs
    assert not any("THA" in a or "THA" in b for a, b in pairs)  # other State under review
    assert ("KHM-1-1.1", "KHM-2-1.2") not in pairs
    row = found[(found["rec_id"] == "KHM-1-1.1") & (found["other_rec_id"] == "KHM-2-1.1")]
    assert row["theme_score"].item() == 0.0  # nhri vs the curator's labour
    same = found[(found["rec_id"] == "KHM-2-1.2")]
    assert same["text_score"].item() == pytest.approx(1.0)


def test_chains_group_linked_recommendations():
    import pandas as pd

    from upr_data.recurrence import chains

    found = pd.DataFrame({"rec_id": ["B", "C", "E"], "other_rec_id": ["A", "B", "D"]})
    got = chains(found).groupby("chain")["rec_id"].apply(list).to_dict()
    assert got == {"A": ["A", "B", "C"], "D": ["D", "E"]}


def test_a_score_reads_as_words(real_links: pd.DataFrame):
    words = [recurrence.similarity(s) for s in real_links["score"]]
    assert set(words) <= {"very similar", "similar", "related"}
    assert recurrence.similarity(0.9) == "very similar"
    assert recurrence.similarity(0.5) == "similar"
    assert recurrence.similarity(recurrence.THRESHOLD) == "related"
    # the bands go down with the score: a higher score never reads as less alike
    order = ["related", "similar", "very similar"]
    ranked = [order.index(w) for _s, w in sorted(zip(real_links["score"], words, strict=True))]
    assert ranked == sorted(ranked)


def test_the_explanation_is_plain_words():
    text = recurrence.explanation()
    assert "ask for much the same thing" in text
    assert not any(w in text for w in ("TF-IDF", "cosine", "Jaccard", str(recurrence.THRESHOLD)))
