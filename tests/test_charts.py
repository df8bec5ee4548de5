"""Chart builders: n and the counting basis in every chart, status never by colour alone."""

from __future__ import annotations

import json

from upr_data import charts, queries, tables, taxonomy
from upr_data.filters import Filters


def spec(chart) -> dict:
    return chart.to_dict()


def test_theme_response_says_n_and_basis(tiny_db):
    frame = queries.by_theme_response(tiny_db, Filters())
    by_paragraph = json.dumps(spec(charts.theme_response(frame, 4, "paragraphs")))
    assert "n = 4 recommendations counted by paragraph" in by_paragraph
    by_state = json.dumps(spec(charts.theme_response(frame, 5, "states")))
    assert "n = 5 recommendations counted once per recommending State" in by_state
    assert "Land, housing and forced evictions" in by_paragraph  # labels, not codes
    assert "#0072B2" in by_paragraph  # Okabe-Ito


def test_status_grid_puts_status_on_an_axis_and_writes_counts(tiny_db):
    frame = tables.with_labels(
        queries.by_theme_status(tiny_db, Filters(), "government"), "theme", taxonomy.THEMES
    )
    chart = spec(charts.status_grid(frame, "theme", "Theme", 4, "paragraphs", "Status"))
    layers = chart["layer"]
    marks = {layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
             for layer in layers}  # fmt: skip
    assert marks == {"rect", "text"}
    for layer in layers:
        assert layer["encoding"]["x"]["field"] == "status_label"
    text_layer = next(layer for layer in layers if "text" in layer["encoding"])
    assert text_layer["encoding"]["text"]["field"] == "n"


def test_status_grid_by_response_facets(tiny_db):
    frame = tables.with_labels(
        queries.by_theme_status(tiny_db, Filters(), "government"), "theme", taxonomy.THEMES
    )
    chart = spec(charts.status_grid(frame, "theme", "Theme", 4, "paragraphs", "T", True))
    assert chart["facet"]["column"]["field"] == "response_label"


def test_evidence_timeline_uses_shape_as_well_as_colour(tiny_db):
    frame = queries.evidence_timeline(tiny_db, Filters())
    chart = spec(charts.evidence_timeline(frame, len(frame)))
    assert chart["encoding"]["shape"]["field"] == "direction_label"
    assert chart["encoding"]["y"]["field"] == "direction_label"
    assert "n = 3 dated pieces of evidence" in json.dumps(chart)
