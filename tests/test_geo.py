"""The shipped country boundaries and the world map (a Vega-Lite choropleth) built on them."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from tests.chart_text import subtitle_text
from upr_data import chart_cache, charts, geo


def _frame(rows: list[tuple[str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "iso3": [iso3 for iso3, _ in rows],
            "value": [value for _, value in rows],
            "label": [f"{value:.0f} recommendations" for _, value in rows],
        }
    )


def _spec(values: pd.DataFrame, value_format: str = "{:.0f}") -> dict:
    """The map's Vega-Lite spec as the browser gets it (through JSON)."""
    return json.loads(
        json.dumps(chart_cache.spec(charts.world_map(values, "Recommendations", value_format)))
    )


def _features(values: pd.DataFrame, value_format: str = "{:.0f}") -> dict[str | None, dict]:
    """Each drawn feature's properties by iso3, with the colour the map's scale gives its class."""
    spec = _spec(values, value_format)
    scale = spec["encoding"]["color"]["scale"]
    colour = dict(zip(scale["domain"], scale["range"], strict=True))
    return {
        f["properties"]["iso3"]: {**f["properties"], "fill": colour[f["properties"]["class"]]}
        for f in spec["datasets"]["countries"]
    }


def _hex(rgb) -> str:
    return geo.hex_colour(rgb)


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
    # A ring stepping from 180 to -180 would be drawn as a band round the world.
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


def test_map_colours_states_by_class() -> None:
    props = _features(VALUES)
    legend = geo.legend_bins(VALUES)
    assert props["DEU"]["value"] == 12
    assert props["DEU"]["label"] == "12 recommendations"
    assert props["DEU"]["fill"] == _hex(_colour_for(12, legend)) == _hex(geo.PALETTE[-1])
    assert props["BRA"]["fill"] == _hex(_colour_for(1, legend)) == _hex(geo.PALETTE[0])
    assert props["USA"]["fill"] == _hex(_colour_for(7, legend))
    assert props["CHN"]["fill"] == _hex(geo.NO_VALUE_RGB)  # not in the values
    assert props["CHN"]["value"] is None and props["CHN"]["label"] == "No recommendation"
    assert props["KHM"]["fill"] == _hex(geo.NO_VALUE_RGB)  # NaN value
    assert props["SGP"]["value"] == 5  # a small State, drawn as a point since it has a value
    assert "MLT" not in props and "ATA" not in props


def test_map_legend_lists_the_classes_then_grey_and_tooltips_name_the_state() -> None:
    spec = _spec(VALUES)
    colour = spec["encoding"]["color"]
    assert colour["scale"]["domain"] == [label for label, _ in geo.legend_bins(VALUES)] + [
        "No recommendation"
    ]
    assert colour["legend"]["title"] == "Recommendations"
    assert [t["field"] for t in spec["encoding"]["tooltip"]] == [
        "properties.name",
        "properties.label",
    ]
    assert subtitle_text(spec) == "Grey: no recommendation in this selection. 6 States."
    assert spec["projection"]["type"] == "equalEarth" and spec["width"] == "container"


def test_map_fetches_nothing_and_sends_each_boundary_once() -> None:
    spec = _spec(VALUES)
    sent = json.dumps(spec, separators=(",", ":"))
    # No tiles, no basemap, no remote data: the only address is the schema's name.
    assert '"url"' not in sent and sent.count("http") == 1 and spec["$schema"].startswith("http")
    assert "NaN" not in sent
    drawn = spec["datasets"]["countries"]
    by_iso3 = {f["properties"]["iso3"]: f for f in geo.load_countries()["features"]}
    assert drawn[0]["geometry"] == by_iso3[drawn[0]["properties"]["iso3"]]["geometry"]
    assert len(sent) < 1.2 * len(json.dumps(geo.load_countries(), separators=(",", ":")))


def test_map_leaves_the_cached_geojson_alone() -> None:
    geo.choropleth_features(VALUES)
    props = [f["properties"] for f in geo.load_countries()["features"]]
    assert all(set(p) <= {"iso3", "name", "point"} for p in props)


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
    props = _features(frame)
    legend = geo.legend_bins(frame)
    for code, value in zip(codes, values, strict=True):
        assert props[code]["fill"] == _hex(_colour_for(value, legend)), code


def test_fractional_values_get_distinct_labels() -> None:
    frame = _frame([("DEU", 0.1), ("FRA", 0.5), ("USA", 33.3), ("BRA", 66.6), ("CHN", 100)])
    labels = [label for label, _ in geo.legend_bins(frame, value_format="{:.0f}%")]
    assert labels[0].startswith("0%") and labels[-1].endswith("100%")
    assert len(set(labels)) == len(labels)


def test_empty_and_all_nan_values_give_a_grey_map() -> None:
    empty = pd.DataFrame({"iso3": [], "value": [], "label": []})
    for values in (empty, _frame([("DEU", math.nan)])):
        assert geo.legend_bins(values) == []
        drawn = _spec(values)["datasets"]["countries"]
        assert len(drawn) == 177 - len(geo.NOT_DRAWN)  # every country, no small-State points
        assert {p["fill"] for p in _features(values).values()} == {_hex(geo.NO_VALUE_RGB)}
        assert _spec(values)["encoding"]["color"]["scale"]["domain"] == ["No recommendation"]
