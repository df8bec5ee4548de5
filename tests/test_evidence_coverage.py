"""The bundled store's evidence (issue 14): enough of it, across every theme and year, each item
sourced, and assessments only where a source states them. Computed from data/store."""

from __future__ import annotations

from datetime import date

import pytest

from upr_data import queries, schema, store
from upr_data.filters import Filters
from upr_data.settings import DEFAULT_STORE

FIRST_YEAR, LAST_YEAR = 2009, 2025


@pytest.fixture(scope="module")
def evidence():
    return store.read_table(DEFAULT_STORE, "evidence").to_pandas().set_index("evidence_id")


@pytest.fixture(scope="module")
def links():
    return store.read_table(DEFAULT_STORE, "evidence_links").to_pandas()


def test_at_least_190_sourced_items(real_db, evidence):
    recency = queries.evidence_recency(real_db, Filters(), date(2022, 1, 1))
    assert recency["items"] == len(evidence) >= 190


def test_every_theme_with_a_supported_recommendation_has_three_items(real_db):
    supported = Filters(responses=("supported",))
    themes = set(queries.by_theme_response(real_db, supported)["theme"])
    per_theme = queries.evidence_by_theme(real_db, supported).groupby("theme")["n"].sum()
    assert len(themes) == 30
    thin = {t: int(per_theme.get(t, 0)) for t in themes if per_theme.get(t, 0) < 3}
    assert not thin


def test_every_year_from_2009_has_items(real_db):
    years = set(queries.evidence_by_kind(real_db, Filters())["year"])
    assert set(range(FIRST_YEAR, LAST_YEAR + 1)) <= years


def test_every_kind_of_source_is_used(real_db):
    kinds = queries.evidence_by_kind(real_db, Filters()).groupby("source_kind")["n"].sum()
    assert set(kinds.index) == set(schema.SOURCE_KINDS)
    assert kinds.min() >= 10


def test_every_item_names_its_source_date_kind_and_publisher(evidence, links):
    assert evidence["source_url"].str.match(r"https?://\S+$").all()
    assert evidence["source_kind"].isin(list(schema.SOURCE_KINDS)).all()
    assert evidence["publisher"].str.strip().str.len().gt(0).all()
    assert evidence["source_title"].str.strip().str.len().gt(0).all()
    assert evidence["date"].notna().all() and (evidence["date"] <= date.today()).all()
    assert set(evidence.index) == set(links["evidence_id"])  # every item has a link


def test_every_link_gives_a_one_line_reason(links):
    reasons = links["reason"].fillna("")
    assert reasons.str.len().between(20, 300).all()
    assert not reasons.str.contains("\n").any()


def test_items_since_2020_bear_on_the_first_and_second_cycles(evidence, links):
    """The third cycle's texts are not loaded: a later event is linked to the recommendations of
    both earlier cycles on its issue, unless one cycle made none (listed in PROVENANCE.md)."""
    recent = set(evidence.index[evidence["date"] >= date(2020, 1, 1)])
    assert len(recent) >= 80
    cycles = (
        links[links["evidence_id"].isin(recent)]
        .assign(cycle=lambda f: f["rec_id"].str.split("-").str[1])
        .groupby("evidence_id")["cycle"]
        .agg(set)
    )
    one_cycle = sorted(cycles.index[cycles.map(len) < 2])
    assert one_cycle == ["KHM-EV-075", "KHM-EV-105", "KHM-EV-111", "KHM-EV-144"]


def test_no_summary_repeats_another(evidence):
    assert not evidence["summary"].str.strip().str.lower().duplicated().any()


def test_assessments_are_only_the_ones_a_source_states():
    assessments = store.read_table(DEFAULT_STORE, "assessments").to_pandas()
    assert len(assessments) == 6
    assert assessments["source"].notna().all() and assessments["source_location"].notna().all()
    assert assessments["evidence_url"].str.startswith("http").all()
    assert assessments["entered_by"].str.startswith(schema.FROM_SOURCE_FILE).all()
