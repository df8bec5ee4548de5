"""A chart spec's title and subtitle as a reader sees them on a wide screen, one line each
(upr_data.charts.chart_title wraps them into lines for a phone)."""

from __future__ import annotations

import json


def title_text(spec: dict) -> str:
    text = spec["title"]["text"]
    if isinstance(text, dict):  # {"expr": "<narrow> ? [lines] : \"one line\""}
        return json.loads(text["expr"].rsplit(" : ", 1)[1])
    return text


def subtitle_text(spec: dict) -> str:
    subtitle = spec["title"].get("subtitle", "")
    return " ".join(subtitle) if isinstance(subtitle, list) else subtitle
