"""World choropleth of recommending States: Natural Earth boundaries drawn with pydeck, offline.

The boundaries ship in data/geo (see its ATTRIBUTION.md): 177 countries at 1:110m, plus a point
for each small UN member State that scale drops (drawn only when it has a value). No basemap is
requested: `map_provider=None` with pydeck's default map_style. (An explicit `map_style=None` is
what Streamlit reads as "use the theme's Carto basemap", which would fetch tiles.)
"""

from __future__ import annotations

import bisect
import html
import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

GEOJSON_PATH = Path(__file__).resolve().parents[1] / "data" / "geo" / "countries-110m.geojson"

# ColorBrewer YlGnBu-7 (sequential, colour-blind safe) without its palest step, so that the
# lowest class stands apart from the grey of "no value" and the white page.
PALETTE: tuple[tuple[int, int, int], ...] = (
    (199, 233, 180),
    (127, 205, 187),
    (65, 182, 196),
    (29, 145, 192),
    (34, 94, 168),
    (12, 44, 132),
)
NO_VALUE_RGB = (224, 224, 224)
OUTLINE_RGB = (128, 128, 128)
# Antarctica is no State, and in Web Mercator it would be a grey band wider than any country.
NOT_DRAWN = frozenset({"ATA"})
# The whole inhabited world in a ~500 px high, ~750 px wide chart (Web Mercator).
WORLD_VIEW = {"latitude": 30, "longitude": 10, "zoom": 0.6, "min_zoom": 0, "max_zoom": 6}


@lru_cache(maxsize=1)
def load_countries() -> dict:
    """The shipped GeoJSON FeatureCollection (cached: treat it as read-only)."""
    return json.loads(GEOJSON_PATH.read_text(encoding="utf-8"))


def _finite(values: pd.DataFrame | pd.Series) -> pd.Series:
    series = values["value"] if isinstance(values, pd.DataFrame) else values
    series = pd.to_numeric(series, errors="coerce").astype(float)
    return series[np.isfinite(series)]


def _classes(values: pd.DataFrame | pd.Series, value_format: str) -> list[tuple[float, float]]:
    """(low, high) of each class, lowest first; empty when no value is finite.

    Quantile breaks, since counts are skewed (a few States make many recommendations). With whole
    numbers, classes are inclusive integer ranges (1-3, 4-7, ...); otherwise a class runs from its
    low up to the next class's low, and the last one up to the maximum. Breaks that would print
    like the one below them in `value_format` are dropped, so no two legend labels look alike.
    """
    v = _finite(values)
    if v.empty:
        return []
    lo, hi = float(v.min()), float(v.max())
    whole = bool((v == np.floor(v)).all())
    n = min(len(PALETTE), v.nunique())  # no more classes than distinct values
    breaks = v.quantile(np.linspace(0, 1, n + 1)[1:-1]).to_numpy()
    if whole:  # a class holds the values up to its quantile, inclusive
        breaks = np.floor(breaks) + 1
    candidates = sorted({float(b) for b in breaks if lo < b < hi or (whole and b == hi)})
    lows = [lo]
    for b in candidates:
        if value_format.format(b) != value_format.format(lows[-1]):
            lows.append(b)
    step = 1.0 if whole else 0.0
    return [(low, nxt - step) for low, nxt in zip(lows, lows[1:], strict=False)] + [(lows[-1], hi)]


@lru_cache(maxsize=len(PALETTE))
def _class_colours(n: int) -> list[tuple[int, int, int]]:
    """n colours spread over the palette (one class takes a middle colour)."""
    if n == 1:
        return [PALETTE[len(PALETTE) // 2]]
    return [PALETTE[round(i)] for i in np.linspace(0, len(PALETTE) - 1, n)]


def _colour_of(value: float, classes: list[tuple[float, float]]) -> tuple[int, int, int]:
    index = bisect.bisect_right([low for low, _ in classes], value) - 1
    return _class_colours(len(classes))[max(index, 0)]


def legend_bins(
    values: pd.DataFrame | pd.Series, *, value_format: str = "{:.0f}"
) -> list[tuple[str, list[int]]]:
    """(label, RGB) per class, lowest first, e.g. ("1–3", [199, 233, 180]); [] if no values."""
    classes = _classes(values, value_format)
    legend = []
    for (low, high), rgb in zip(classes, _class_colours(len(classes)), strict=True):
        a, b = value_format.format(low), value_format.format(high)
        legend.append((a if a == b else f"{a}–{b}", list(rgb)))
    return legend


def choropleth_deck(
    values: pd.DataFrame,
    measure_label: str,
    *,
    value_format: str = "{:.0f}",
    missing_label: str = "No data",
) -> pdk.Deck:
    """A world map with each State in `values` (iso3, value, label) coloured by its value class.

    Countries without a finite value are grey; small States drawn as points appear only with one.
    Pass the same `value_format` as to `legend_bins` (it can merge classes); the tooltip shows
    `label`, or the value in `value_format` where a row has no label.
    """
    rows = values.drop_duplicates("iso3", keep="last")
    numbers = pd.to_numeric(rows["value"], errors="coerce").astype(float)
    labels = rows["label"] if "label" in rows else pd.Series([None] * len(rows), index=rows.index)
    given = {
        iso3: (float(v) if math.isfinite(v) else None, label)
        for iso3, v, label in zip(rows["iso3"], numbers, labels, strict=True)
    }
    classes = _classes(values, value_format)
    features = []
    for props, geometry in _drawn_features():
        value, label = given.get(props["iso3"], (None, None))
        if not (isinstance(label, str) and label):
            label = missing_label if value is None else value_format.format(value)
        if props.get("point") and value is None:
            continue
        colour = NO_VALUE_RGB if value is None else _colour_of(value, classes)
        merged = {**props, "value": value, "label": label, "fill_color": list(colour)}
        features.append(
            f'{{"type":"Feature","geometry":{geometry},"properties":{_compact(merged)}}}'
        )
    collection = '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"

    layer = pdk.Layer(
        "GeoJsonLayer",
        data=_FEATURES,  # the collection is pasted in by _PreparedDeck.to_json
        id="recommending-states",
        pickable=True,
        stroked=True,
        filled=True,
        auto_highlight=True,
        highlight_color=[255, 170, 0, 180],
        get_fill_color="properties.fill_color",
        get_line_color=list(OUTLINE_RGB),
        line_width_units="'pixels'",  # quoted: pydeck reads a bare string as an accessor
        get_line_width=0.6,
        point_radius_units="'pixels'",
        get_point_radius=4,
    )
    # Escape the measure's text, braces included: pydeck reads {name} as a property lookup.
    measure = html.escape(measure_label).replace("{", "&#123;").replace("}", "&#125;")
    tooltip = {
        "html": f"<b>{{name}}</b><br/>{measure}: {{label}}",
        "style": {"backgroundColor": "white", "color": "#222", "fontSize": "0.85em"},
    }
    deck = _PreparedDeck(
        layers=[layer],
        initial_view_state=pdk.ViewState(**WORLD_VIEW),
        map_provider=None,
        tooltip=tooltip,
    )
    deck.features_json = collection
    return deck


# -- the JSON sent to the browser -------------------------------------------------------------
# pydeck writes a deck with `json.dumps(indent=2)`: 1.1 MB for this map, and Python's slower
# encoder (an indent turns the C one off), about 0.5 s a run. Compact JSON is 0.19 MB, and each
# country's boundary is written once per process and pasted in (bench/README.md, first visit).

_FEATURES = "@@upr-features@@"  # stands in the layer's data until to_json pastes the collection


def _compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


@lru_cache(maxsize=1)
def _drawn_features() -> tuple[tuple[dict, str], ...]:
    """(properties, geometry as compact JSON) of every feature that may be drawn."""
    return tuple(
        (feature["properties"], _compact(feature["geometry"]))
        for feature in load_countries()["features"]
        if feature["properties"]["iso3"] not in NOT_DRAWN
    )


class _PreparedDeck(pdk.Deck):
    """A pydeck Deck written as compact JSON, its features already written (`features_json`)."""

    features_json = '{"type":"FeatureCollection","features":[]}'

    def to_json(self) -> str:
        spec = json.dumps(
            self, sort_keys=True, default=_without_features, separators=(",", ":"), allow_nan=False
        )
        before, marker, after = spec.partition(_compact(_FEATURES))
        if not marker or _compact(_FEATURES) in after:
            raise ValueError("the deck must hold the features' placeholder exactly once")
        return before + self.features_json + after


def _without_features(o: object) -> object:
    """pydeck's own conversion of its objects, less the already written features."""
    attrs = default_serialize(o)
    if isinstance(o, _PreparedDeck):
        attrs.pop("featuresJson", None)
    return attrs
