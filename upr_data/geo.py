"""World choropleth of recommending States: Natural Earth boundaries, classes and legend, offline.

The boundaries ship in data/geo (see its ATTRIBUTION.md): 177 countries at 1:110m, plus a point
for each small UN member State that scale drops (drawn only when it has a value). The map itself
is a Vega-Lite chart (`charts.world_map`): the browser already has Vega-Lite for every other
chart, while deck.gl's 3 MB component and WebGL start cost a first visit of the page seconds
(bench/README.md), and it needs no basemap and no tiles.
"""

from __future__ import annotations

import bisect
import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

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
# Antarctica is no State, and drawn it would be a grey band as wide as the map.
NOT_DRAWN = frozenset({"ATA"})


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


def _class_of(value: float, classes: list[tuple[float, float]]) -> int:
    return max(bisect.bisect_right([low for low, _ in classes], value) - 1, 0)


def legend_bins(
    values: pd.DataFrame | pd.Series, *, value_format: str = "{:.0f}"
) -> list[tuple[str, list[int]]]:
    """(label, RGB) per class, lowest first, e.g. ("1–3", [199, 233, 180]); [] if no values."""
    classes = _classes(values, value_format)
    labels = _class_labels(classes, value_format)
    return [
        (label, list(rgb)) for label, rgb in zip(labels, _class_colours(len(classes)), strict=True)
    ]


def _class_labels(classes: list[tuple[float, float]], value_format: str) -> list[str]:
    labels = []
    for low, high in classes:
        a, b = value_format.format(low), value_format.format(high)
        labels.append(a if a == b else f"{a}–{b}")
    return labels


def choropleth_features(
    values: pd.DataFrame, *, value_format: str = "{:.0f}", missing_label: str = "No data"
) -> list[dict]:
    """The map's GeoJSON features: every country, and each small State drawn as a point that has
    a value in `values` (iso3, value, label). Each feature's properties are its iso3 and name,
    `value`, `label` (the tooltip's text: the row's label, else the value in `value_format`, else
    `missing_label`) and `class`: its legend label from `legend_bins` (same `value_format`), or
    `missing_label` where it has no finite value. The shipped boundaries are shared, not copied:
    treat them as read-only."""
    rows = values.drop_duplicates("iso3", keep="last")
    numbers = pd.to_numeric(rows["value"], errors="coerce").astype(float)
    labels = rows["label"] if "label" in rows else pd.Series([None] * len(rows), index=rows.index)
    given = {
        iso3: (float(v) if math.isfinite(v) else None, label)
        for iso3, v, label in zip(rows["iso3"], numbers, labels, strict=True)
    }
    classes = _classes(values, value_format)
    legend = _class_labels(classes, value_format)
    features = []
    for feature in load_countries()["features"]:
        props = feature["properties"]
        if props["iso3"] in NOT_DRAWN:
            continue
        value, label = given.get(props["iso3"], (None, None))
        if props.get("point") and value is None:
            continue
        if not (isinstance(label, str) and label):
            label = missing_label if value is None else value_format.format(value)
        shown = missing_label if value is None else legend[_class_of(value, classes)]
        features.append(
            {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": {**props, "value": value, "label": label, "class": shown},
            }
        )
    return features


def hex_colour(rgb: tuple[int, int, int] | list[int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)
