"""Rebuild countries-110m.geojson from the npm package world-atlas 2.0.2 (Natural Earth 4.1.0).

A one-off, reproducible step (see ATTRIBUTION.md); the app only reads the GeoJSON it writes:

    cd /tmp && npm pack world-atlas@2.0.2 && mkdir -p wa && tar xzf world-atlas-2.0.2.tgz -C wa
    python data/geo/make_geojson.py /tmp/wa/package data/geo/countries-110m.geojson

Output: one Polygon/MultiPolygon feature per country of countries-110m.json (properties `iso3`
from pycountry via the ISO 3166-1 numeric id, null where Natural Earth has none, and `name`),
then one Point feature per UN member State (or the Holy See) that the 1:110m scale drops,
placed at the centroid of its largest polygon in countries-10m.json (`point: true`).
Coordinates are rounded to 3 decimals (the 1:110m quantisation step is 0.0036 x 0.0017 deg).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry

# UN member States and the Holy See missing from the 1:110m file (all present at 1:10m).
# fmt: off
SMALL_STATES = (
    "AND", "ATG", "BHR", "BRB", "COM", "CPV", "DMA", "FSM", "GRD", "KIR",
    "KNA", "LCA", "LIE", "MCO", "MDV", "MHL", "MLT", "MUS", "NRU", "PLW",
    "SGP", "SMR", "STP", "SYC", "TON", "TUV", "VAT", "VCT", "WSM",
)
# fmt: on

XY = tuple[float, float]


def decode_arcs(topo: dict) -> list[list[XY]]:
    """Un-delta and de-quantise the topology's arcs."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[XY]], ndigits: int | None) -> list[list[float]]:
    """Stitch arcs into a closed ring (~i means arc i reversed), rounded, no repeated points."""
    points: list[XY] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    out: list[list[float]] = []
    for x, y in points:
        p = [round(x, ndigits), round(y, ndigits)] if ndigits is not None else [x, y]
        if not out or p != out[-1]:
            out.append(p)
    return out


def polygons(geometry: dict, arcs: list[list[XY]], ndigits: int | None) -> list:
    """The geometry as a list of polygons (each a list of rings), degenerate rings dropped."""
    parts = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    result = []
    for part in parts:
        rings = [ring(r, arcs, ndigits) for r in part]
        if len(rings[0]) >= 4:  # keep the polygon only if its outer ring survived rounding
            result.append([r for r in rings if len(r) >= 4])
    return result


def clip(closed: list[list[float]], at: float, below: bool) -> list[list[float]]:
    """Sutherland-Hodgman: the part of a closed ring with x <= at (below) or x >= at."""
    out: list[list[float]] = []
    for (x0, y0), (x1, y1) in zip(closed, closed[1:], strict=False):
        in0, in1 = (x0 <= at) == below or x0 == at, (x1 <= at) == below or x1 == at
        if in0:
            out.append([x0, y0])
        if in0 != in1 and x0 != at and x1 != at:
            out.append([at, round(y0 + (at - x0) * (y1 - y0) / (x1 - x0), 3)])
    out = [p for i, p in enumerate(out) if i == 0 or p != out[i - 1]]
    return out + out[:1] if out and out[0] != out[-1] else out


def split_at_antimeridian(polygon: list) -> list:
    """Cut a polygon whose outer ring jumps across +-180 deg into planar pieces.

    world-atlas is spherical (for d3-geo): Fiji's and Russia's rings step from 180 to -180, which a
    planar renderer (deck.gl) draws as a band round the world. Rings circling a pole (Antarctica)
    jump once, close along the map's edge in the plane, and are left alone.
    """
    outer = polygon[0]
    unwrapped, offset = [outer[0]], 0.0
    for (x0, _), (x1, y1) in zip(outer, outer[1:], strict=False):
        offset += -360 if x1 - x0 > 180 else 360 if x1 - x0 < -180 else 0
        unwrapped.append([x1 + offset, y1])
    if offset != 0 or all(-180 <= x <= 180 for x, _ in unwrapped):
        return [polygon]
    assert len(polygon) == 1, "holes in a polygon crossing the antimeridian"
    edge = 180.0 if max(x for x, _ in unwrapped) > 180 else -180.0
    shift = -360.0 if edge > 0 else 360.0
    inside = clip(unwrapped, edge, below=edge > 0)
    outside = [[x + shift, y] for x, y in clip(unwrapped, edge, below=edge < 0)]
    return [[r] for r in (inside, outside) if len(r) >= 4]


def iso3_of(numeric: str | None) -> str | None:
    country = pycountry.countries.get(numeric=numeric) if numeric else None
    return country.alpha_3 if country else None


def centroid(outer: list[list[float]]) -> XY:
    """Area centroid of a ring (planar; fine for small islands)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(outer, outer[1:], strict=False):
        cross = x0 * y1 - x1 * y0
        a, cx, cy = a + cross, cx + (x0 + x1) * cross, cy + (y0 + y1) * cross
    if a == 0:  # a sliver (Monaco, the Holy See at 1:10m): the mean of its points
        return sum(x for x, _ in outer) / len(outer), sum(y for _, y in outer) / len(outer)
    return cx / (3 * a), cy / (3 * a)


def area(outer: list[list[float]]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(outer, outer[1:], strict=False)))


def country_features(topo: dict) -> list[dict]:
    arcs = decode_arcs(topo)
    features = []
    for g in topo["objects"]["countries"]["geometries"]:
        polys = [piece for p in polygons(g, arcs, 3) for piece in split_at_antimeridian(p)]
        geometry = (
            {"type": "Polygon", "coordinates": polys[0]}
            if len(polys) == 1
            else {"type": "MultiPolygon", "coordinates": polys}
        )
        props = {"iso3": iso3_of(g.get("id")), "name": g["properties"]["name"]}
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    return features


def small_state_points(topo: dict, codes: list[str]) -> list[dict]:
    arcs = decode_arcs(topo)
    by_iso3 = {iso3_of(g.get("id")): g for g in topo["objects"]["countries"]["geometries"]}
    features = []
    for code in codes:
        g = by_iso3[code]
        parts = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"]
        largest = max((ring(part[0], arcs, None) for part in parts), key=area)
        x, y = centroid(largest)
        props = {"iso3": code, "name": g["properties"]["name"], "point": True}
        geometry = {"type": "Point", "coordinates": [round(x, 3), round(y, 3)]}
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    return features


def main(package_dir: Path, out: Path) -> None:
    topo110 = json.loads((package_dir / "countries-110m.json").read_text())
    topo10 = json.loads((package_dir / "countries-10m.json").read_text())
    features = country_features(topo110)
    present = {f["properties"]["iso3"] for f in features}
    features += small_state_points(topo10, [c for c in SMALL_STATES if c not in present])
    collection = {"type": "FeatureCollection", "features": features}
    out.write_text(json.dumps(collection, separators=(",", ":"), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
