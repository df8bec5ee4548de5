"""The shipped country boundaries and the pydeck choropleth built on them."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from upr_data import geo


def _frame(rows: list[tuple[str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "iso3": [iso3 for iso3, _ in rows],
            "value": [value for _, value in rows],
            "label": [f"{value:.0f} recommendations" for _, value in rows],
        }
    )


def _features(deck) -> dict[str | None, dict]:
    """Properties of the deck's features by iso3, read back from the JSON sent to the browser."""
    spec = json.loads(deck.to_json())
    (layer,) = spec["layers"]
    return {f["properties"]["iso3"]: f["properties"] for f in layer["data"]["features"]}


def _polygons(feature: dict) -> list:
    geometry = feature["geometry"]
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


VALUES = _frame([("DEU", 12), ("FRA", 3), ("USA", 7), ("BRA", 1), ("SGP", 5), ("KHM", math.nan)])


def test_countries_load_with_unique_iso3() -> None:
    features = geo.load_countries()["features"]
    shapes = [f for f in features if f["geometry"]["type"] in ("Polygon", "MultiPolygon")]
    assert len(shapes) == 177  # Natural Earth 1:110m admin-0 countries
    codes = [f["properties"]["iso3"] for f in features if f["properties"]["iso3"]]
    assert len(codes) == len(set(codes))
    by_iso3 = {f["properties"]["iso3"]: f for f in shapes}
    for code in ("KHM", "DEU", "USA", "FRA"):
        assert _polygons(by_iso3[code]), code
    unnamed = {f["properties"]["name"] for f in features if not f["properties"]["iso3"]}
    assert unnamed == {"Kosovo", "N. Cyprus", "Somaliland"}
    assert geo.load_countries() is geo.load_countries()  # cached


def test_small_un_states_are_points() -> None:
    points = {
        f["properties"]["iso3"]: f["geometry"]["coordinates"]
        for f in geo.load_countries()["features"]
        if f["geometry"]["type"] == "Point"
    }
    assert {"SGP", "MDV", "MLT", "VAT", "TUV"} <= set(points)
    lon, lat = points["SGP"]
    assert 103.5 < lon < 104.1 and 1.1 < lat < 1.5


def test_no_ring_crosses_the_antimeridian() -> None:
    # A ring stepping from 180 to -180 is drawn by deck.gl as a band round the world.
    for feature in geo.load_countries()["features"]:
        if feature["properties"]["iso3"] in geo.NOT_DRAWN or feature["geometry"]["type"] == "Point":
            continue
        for polygon in _polygons(feature):
            for ring in polygon:
                assert ring[0] == ring[-1]
                jumps = [abs(a[0] - b[0]) for a, b in zip(ring, ring[1:], strict=False)]
                assert max(jumps) < 180, feature["properties"]["name"]


def _colour_for(value: float, legend: list[tuple[str, list[int]]]) -> list[int]:
    """The colour of the legend class whose label ("3", "5–6") includes the value."""
    for label, rgb in legend:
        low, _, high = label.partition("–")
        if float(low) <= value <= float(high or low):
            return rgb
    raise AssertionError(f"{value} in no class of {legend}")


def test_deck_colours_states_by_class() -> None:
    deck = geo.choropleth_deck(VALUES, "Recommendations")
    props = _features(deck)
    legend = geo.legend_bins(VALUES)
    assert props["DEU"]["value"] == 12
    assert props["DEU"]["label"] == "12 recommendations"
    assert props["DEU"]["fill_color"] == _colour_for(12, legend) == list(geo.PALETTE[-1])
    assert props["BRA"]["fill_color"] == _colour_for(1, legend) == list(geo.PALETTE[0])
    assert props["USA"]["fill_color"] == _colour_for(7, legend)
    assert props["CHN"]["fill_color"] == list(geo.NO_VALUE_RGB)  # not in the values
    assert props["CHN"]["value"] is None and props["CHN"]["label"] == "No data"
    assert props["KHM"]["fill_color"] == list(geo.NO_VALUE_RGB)  # NaN value
    assert props["SGP"]["value"] == 5  # a small State, drawn as a point since it has a value
    assert "MLT" not in props and "ATA" not in props
    assert "NaN" not in deck.to_json()


def test_deck_has_no_basemap() -> None:
    deck = geo.choropleth_deck(VALUES, "Recommendations")
    assert deck.map_provider is None
    spec = json.loads(deck.to_json())
    # pydeck's sentinel: Streamlit drops it and adds no basemap (an absent mapStyle gets Carto's).
    assert spec["mapStyle"] == "__MAP_STYLE__"
    assert "mapProvider" not in spec
    assert "cartocdn" not in deck.to_json() and "mapbox" not in deck.to_json()


def test_deck_leaves_the_cached_geojson_alone() -> None:
    geo.choropleth_deck(VALUES, "Recommendations")
    props = [f["properties"] for f in geo.load_countries()["features"]]
    assert all(set(p) <= {"iso3", "name", "point"} for p in props)


def test_tooltip_escapes_the_measure_label() -> None:
    deck = geo.choropleth_deck(VALUES, "Share <%> {x}")
    tooltip = deck._tooltip  # what st.pydeck_chart sends (it is not in to_json())
    assert "{name}" in tooltip["html"] and "{label}" in tooltip["html"]
    assert "<%>" not in tooltip["html"] and "{x}" not in tooltip["html"]


def test_legend_covers_min_to_max() -> None:
    legend = geo.legend_bins(VALUES)
    labels = [label for label, _ in legend]
    assert labels[0].startswith("1") and labels[-1].endswith("12")
    assert 1 < len(legend) <= len(geo.PALETTE)
    assert len(set(labels)) == len(labels)
    assert all(list(rgb) in [list(c) for c in geo.PALETTE] for _, rgb in legend)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 40], ["1–2", "3–4", "5–6", "7–8", "9–11", "12–40"]),
        ([1, 1, 1, 2], ["1", "2"]),
        ([5, 5], ["5"]),
    ],
)
def test_legend_whole_numbers_are_inclusive_ranges(values: list[int], expected: list[str]) -> None:
    frame = _frame([(f"X{i:02d}", v) for i, v in enumerate(values)])
    assert [label for label, _ in geo.legend_bins(frame)] == expected


def test_every_value_falls_in_its_legend_class() -> None:
    codes = ["DEU", "FRA", "USA", "BRA", "CHN", "IND", "JPN", "AUS", "CAN", "ZAF", "MEX", "ARG"]
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 40]
    frame = _frame(list(zip(codes, values, strict=True)))
    props = _features(geo.choropleth_deck(frame, "Recommendations"))
    legend = geo.legend_bins(frame)
    for code, value in zip(codes, values, strict=True):
        assert props[code]["fill_color"] == _colour_for(value, legend), code


def test_fractional_values_get_distinct_labels() -> None:
    frame = _frame([("DEU", 0.1), ("FRA", 0.5), ("USA", 33.3), ("BRA", 66.6), ("CHN", 100)])
    labels = [label for label, _ in geo.legend_bins(frame, value_format="{:.0f}%")]
    assert labels[0].startswith("0%") and labels[-1].endswith("100%")
    assert len(set(labels)) == len(labels)


def test_empty_and_all_nan_values_give_a_grey_map() -> None:
    empty = pd.DataFrame({"iso3": [], "value": [], "label": []})
    for values in (empty, _frame([("DEU", math.nan)])):
        assert geo.legend_bins(values) == []
        spec = json.loads(geo.choropleth_deck(values, "Recommendations").to_json())
        features = spec["layers"][0]["data"]["features"]
        assert len(features) == 177 - len(geo.NOT_DRAWN)  # every country, no small-State points
        assert {tuple(f["properties"]["fill_color"]) for f in features} == {geo.NO_VALUE_RGB}


def test_deck_json_is_compact_with_each_boundary_once() -> None:
    # pydeck's own to_json indents: 1.1 MB for the world map, which every visit of /states sent.
    deck = geo.choropleth_deck(VALUES, "Recommendations")
    sent = deck.to_json()
    assert "\n" not in sent and '": ' not in sent
    spec = json.loads(sent)
    assert "featuresJson" not in sent and set(spec) == {
        "initialViewState",
        "layers",
        "mapStyle",
        "views",
    }
    drawn = [
        f for f in geo.load_countries()["features"] if f["properties"]["iso3"] in _features(deck)
    ]
    assert spec["layers"][0]["data"]["features"][0]["geometry"] == drawn[0]["geometry"]
    assert len(sent) < 1.2 * len(json.dumps(geo.load_countries(), separators=(",", ":")))
