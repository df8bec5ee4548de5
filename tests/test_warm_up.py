"""What the server reads before its first reader (serve.py: `cached.warm_up`): the store, and the
answers the sidebar, every page's header and the Overview (the landing page) show with no filter,
so that the first visit after a restart does not wait for them."""

from __future__ import annotations

import pytest

from upr_data import cached, queries, tables
from upr_data.filters import Filters


def test_the_first_views_are_answered_from_what_the_server_read_ahead(
    bundled_copy, monkeypatch, fresh_caches
):
    monkeypatch.setenv("UPR_LAKE", str(bundled_copy))
    said = cached.warm_up()
    assert said.startswith(f"Store read ahead: {bundled_copy}, snapshot "), said
    assert "first views in" in said

    # From here on the query layer must not be asked again: each answer comes from the cache.
    def asked_again(*args, **kwargs):
        raise AssertionError("not read ahead")

    everything = Filters()
    asked = [
        ("count", "paragraphs"),
        ("reviewed_state",),
        ("summary",),
        ("evidence_recency", tables.recent_since()),
        ("by_theme_response", "paragraphs"),
        ("by_theme_status", "civil_society", "paragraphs"),
        ("recent_changes", 5),
    ]
    picked = [("surs_present",), ("cycles_present", None), ("states_present", None)]
    for name, *_ in asked + picked + [("coverage",)]:
        monkeypatch.setattr(queries, name, asked_again)
    answers = {name: cached.query(name, everything, *args) for name, *args in asked}
    for name, *args in picked:
        cached.lookup(name, *args)
    cached.lookup("coverage", answers["reviewed_state"])
    cached.lookup("coverage", None)

    assert answers["reviewed_state"] == "KHM"
    assert answers["count"] == 296
    assert answers["summary"]["recommendations"] == 296


def test_an_empty_store_is_named_and_left_to_the_first_page(tmp_path, monkeypatch, fresh_caches):
    monkeypatch.setenv("UPR_LAKE", str(tmp_path / "nothing here"))
    monkeypatch.setattr(queries, "summary", lambda *a, **k: pytest.fail("no view is read ahead"))
    said = cached.warm_up()
    assert said.startswith(f"The store at {tmp_path / 'nothing here'} is damaged: "), said
    assert "recommendations: the table is empty" in said
