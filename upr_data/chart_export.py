"""Charts as PNG and SVG files, rendered offline with vl-convert (no browser, no network).

The dashboard's charts fill their container (`width="container"`), which has no meaning outside
a web page; the exported copy gets a fixed width instead. The caller's chart is never changed.

Fonts: the bundled Noto Sans Khmer (`upr_data/fonts/khmer/`) is registered with vl-convert once,
before the first conversion, so a Khmer chart (see `charts.KHMER_FONT`) renders its glyphs on a
machine without a Khmer system font; vl-convert shapes the text itself.
"""

from __future__ import annotations

import threading
from pathlib import Path

import altair as alt
import vl_convert

EXPORT_WIDTH = 900  # pixels (before `scale`): a slide or a report page
FONT_DIRS = (Path(__file__).resolve().parent / "fonts" / "khmer",)
_registered: list[Path] = []
_lock = threading.Lock()


def register_fonts() -> None:
    """Register the bundled font folders with vl-convert (once per process)."""
    with _lock:
        for folder in FONT_DIRS:
            if folder not in _registered:
                vl_convert.register_font_directory(str(folder))
                _registered.append(folder)


def _fixed_width(node, width: int):
    """A copy of a Vega-Lite spec with every `"width": "container"` set to `width`."""
    if isinstance(node, dict):
        return {
            key: width if key == "width" and value == "container" else _fixed_width(value, width)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_fixed_width(item, width) for item in node]
    return node


def _spec(chart: alt.TopLevelMixin, width: int) -> dict:
    # to_dict() builds a new dict from the chart (data inlined), so the chart itself is untouched.
    return _fixed_width(chart.to_dict(), width)


def _vl_version() -> str | None:
    """The Vega-Lite version Altair writes, as vl-convert names it ("6.4"), if it has it."""
    version = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return version if version in vl_convert.get_vegalite_versions() else None


def to_png(chart: alt.TopLevelMixin, scale: float = 2, width: int = EXPORT_WIDTH) -> bytes:
    """The chart as PNG bytes; `scale` 2 gives a sharp image on a projector or a slide."""
    register_fonts()
    return vl_convert.vegalite_to_png(_spec(chart, width), vl_version=_vl_version(), scale=scale)


def to_svg(chart: alt.TopLevelMixin, width: int = EXPORT_WIDTH) -> str:
    """The chart as an SVG document (text), for print and editing."""
    register_fonts()
    return vl_convert.vegalite_to_svg(_spec(chart, width), vl_version=_vl_version())
