"""Search beyond the recommendations' texts: each hit says where it was found and what it leads to.

Expected values are read from the source files (data/sources) with pandas, not from the query
layer, so a search that looks in the wrong column or loses a link fails.
"""

from __future__ import annotations

import pandas as pd
import pytest

from upr_data import search
from upr_data.settings import SOURCES_DIR


@pytest.fixture(scope="module")
def evidence() -> pd.DataFrame:
    return pd.read_csv(SOURCES_DIR / "evidence.csv", dtype=str).fillna("")


@pytest.fixture(scope="module")
def links() -> pd.DataFrame:
    return pd.read_csv(SOURCES_DIR / "evidence_links.csv", dtype=str)


def _mentioning(evidence: pd.DataFrame, words: str) -> set[str]:
    text = (evidence["summary"] + " " + evidence["source_title"]).str.lower()
    return set(evidence.loc[text.str.contains(words.lower(), regex=False), "evidence_id"])


@pytest.mark.parametrize("words", ["Tep Vanny", "Boeung Kak"])
def test_a_name_in_the_evidence_is_found_there(real_db, evidence, links, words):
    items = _mentioning(evidence, words)
    linked = set(links.loc[links["evidence_id"].isin(items), "rec_id"])
    assert items and linked  # the example must exist in the data to mean anything

    hits = search.search(real_db, words)

    assert [h.place for h in hits] == ["evidence"]  # in no recommendation's text
    (hit,) = hits
    assert hit.matched == len(items)
    assert set(hit.rec_ids) == linked
    assert f"{len(items)} evidence items mention “{words}”" in hit.found
    assert f"linked to {len(linked)} recommendations" in hit.found


def test_a_document_symbol_names_its_cycle(real_db):
    cycles = pd.read_csv(SOURCES_DIR / "cambodia_upr_cycles.csv", dtype=str)
    cycle = int(cycles.loc[cycles["wg_report"] == "A/HRC/26/16", "cycle"].iloc[0])
    texts = pd.read_csv(SOURCES_DIR / f"cambodia_cycle{cycle}_recommendations.csv", dtype=str)

    hits = [h for h in search.search(real_db, "A/HRC/26/16") if h.place == "document"]

    assert hits, "the report's symbol is not found"
    expected = f"A/HRC/26/16 is the report of cycle {cycle}: {len(texts)} recommendations"
    assert hits[0].found == expected
    assert len(hits[0].rec_ids) == len(texts)
    assert all(r.startswith(f"KHM-{cycle}-") for r in hits[0].rec_ids)


def test_a_cycle_known_by_its_totals_only_says_so(real_db):
    (hit,) = search.search(real_db, "A/HRC/41/17")

    assert hit.place == "document" and hit.rec_ids == ()
    assert "cycle 3" in hit.found and "not loaded" in hit.found and "198" in hit.found


def test_a_recommending_state_is_found_by_name_and_code(real_db):
    by_name = [h for h in search.search(real_db, "Germany") if h.place == "state"]
    by_code = [h for h in search.search(real_db, "deu") if h.place == "state"]

    assert by_name and by_name == by_code
    assert by_name[0].found.startswith("Recommending State Germany (DEU) made ")


def test_an_assessing_organisation_is_found(real_db):
    places = {h.place for h in search.search(real_db, "CCHR")}

    assert "assessment" in places


def test_nothing_found_and_empty_search(real_db):
    assert search.search(real_db, "zzzz-not-in-the-store") == []
    assert search.search(real_db, "   ") == []


def test_the_search_text_is_a_bound_parameter(real_db):
    # SQL in the search box is text to look for, not SQL to run
    assert search.search(real_db, "') OR 1=1 --") == []


def test_found_in_lists_each_place_once(real_db):
    hits = search.search(real_db, "land")
    places = search.found_in(hits)

    assert places and all(len(p) == len(set(p)) for p in places.values())
    assert {"text", "evidence"} <= {p for ps in places.values() for p in ps}
