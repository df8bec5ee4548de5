"""Altair chart builders: pure functions from a query's DataFrame to a chart.

Every chart says n and what is counted (paragraphs or recommending States) in its subtitle, uses
the Okabe-Ito colour-blind-safe palette, and never shows status by colour alone: status is
always on an axis as well, with the count written in the cell.

In Khmer the charts name a font family that ends with Noto Sans Khmer (`KHMER_FONT`): Latin text
keeps the page's font, Khmer falls back to Noto Sans Khmer, which the page serves
(`.streamlit/config.toml`) and the PNG/SVG export registers (`chart_export`).
"""

from __future__ import annotations

import json
import textwrap

import altair as alt
import pandas as pd

from . import chart_cache, geo, i18n, schema, taxonomy
from .filters import STATUS_CHOICES
from .i18n import _

# Okabe & Ito (2008), safe for the common colour-vision deficiencies.
RESPONSE_COLOURS = {
    "supported": "#0072B2",
    "partially_supported": "#56B4E9",
    "noted": "#E69F00",
    "pending": "#999999",
}
STATUS_COLOURS = {
    schema.NOT_ASSESSED: "#BBBBBB",
    "not_implemented": "#D55E00",
    "partially_implemented": "#F0E442",
    "fully_implemented": "#009E73",
}
DIRECTION_SHAPES = {
    "progress": "triangle-up",
    "regression": "triangle-down",
    "mixed": "diamond",
    "no_change": "circle",
}
DIRECTION_COLOURS = {
    "progress": "#009E73",
    "regression": "#D55E00",
    "mixed": "#CC79A7",
    "no_change": "#999999",
}
FONT_SIZE = 14
SLIDE_FONT_SIZE = 20  # slides: read from the back of a room
NOTE_CHARS = 70  # a slide chart's note, in lines this long (a 900 px export)
# Axis labels take at most 40 % of the chart's container (a phone's 390 px screen keeps room for
# the bars), between 90 and 320 px; the full text is in every mark's tooltip. Outside a web page
# (the PNG/SVG export, where the container has no size) the limit is 320 px.
LABEL_LIMIT = {
    "expr": "isValid(containerSize()[0]) && containerSize()[0] > 0"
    " ? clamp(containerSize()[0] * 0.4, 90, 320) : 320"
}
# Latin first (Streamlit's Source Sans on the page, any sans-serif in an export), then Khmer.
KHMER_FONT = '"Source Sans", sans-serif, "Noto Sans Khmer"'


def basis_phrase(n: int, basis: str) -> str:
    if basis == "states":
        return _("n = {n} recommendations counted once per recommending State", n=n)
    return _("n = {n} recommendations counted by paragraph (the UN's count)", n=n)


# A title is drawn on one line, cut with "…" where it is wider than its limit. On a page the limit
# is the chart's whole width (the title starts at the chart's left edge, over the axis labels,
# not over the plot alone); where the chart is narrower than NARROW px (a phone) a long title is
# drawn in lines of TITLE_CHARS, and a subtitle is always in lines of SUBTITLE_CHARS, so that both
# fit the 358 px a 390 px screen leaves. Words are never cut. Outside a page (the PNG/SVG export)
# neither is limited.
NARROW = 600
TITLE_CHARS = 32  # 18 px type
SUBTITLE_CHARS = 46  # FONT_SIZE type
_ON_A_PAGE = "isValid(containerSize()[0]) && containerSize()[0] > 0"
CHART_WIDTH = {"expr": f"{_ON_A_PAGE} ? containerSize()[0] : 0"}
# A legend under the chart is one row of entries; on a phone, two columns of them.
LEGEND_COLUMNS = {"expr": f"{_ON_A_PAGE} && containerSize()[0] < {NARROW} ? 2 : 0"}


def _lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [text]


def chart_title(text: str, subtitle: str) -> alt.TitleParams:
    lines = _lines(text, TITLE_CHARS)
    if len(lines) > 1:
        # Strings as JSON literals: Vega's expression language reads them as JavaScript does.
        narrow = f"{_ON_A_PAGE} && containerSize()[0] < {NARROW}"
        text = {"expr": f"{narrow} ? {json.dumps(lines)} : {json.dumps(text)}"}
    return alt.TitleParams(
        text,
        subtitle=_lines(subtitle, SUBTITLE_CHARS) if subtitle else subtitle,
        anchor="start",
        frame="bounds",
        limit=CHART_WIDTH,
        fontSize=18,
        subtitleFontSize=FONT_SIZE,
        **_khmer_lines(18, FONT_SIZE),
    )


def _khmer_lines(size: int, subtitle_size: int) -> dict:
    """Khmer's vowels and subscript consonants reach far above and below the line: in Khmer a
    title's lines, and its subtitle, are set further apart so that they do not touch."""
    if not i18n.is_khmer():
        return {}
    return {
        "lineHeight": round(size * 1.6),
        "subtitleLineHeight": round(subtitle_size * 1.6),
        "subtitlePadding": round(subtitle_size * 0.5),
    }


def _font(chart: alt.Chart) -> alt.Chart:
    """The chart with the Khmer font family when the interface is in Khmer. (`configure`
    replaces the whole config: call it before the other `configure_*`.)"""
    return chart.configure(font=KHMER_FONT) if i18n.is_khmer() else chart


def _finish(chart: alt.Chart) -> alt.Chart:
    return (
        _font(chart)
        .configure_axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelLimit=LABEL_LIMIT)
        .configure_legend(
            labelFontSize=FONT_SIZE,
            titleFontSize=FONT_SIZE,
            orient="bottom",
            columns=LEGEND_COLUMNS,
            labelLimit=CHART_WIDTH,
        )
    )


def _occurring(vocabulary, codes: pd.Series) -> list[str]:
    """The codes of `vocabulary` (in its order) that occur in `codes`: a legend or a colour
    scale lists only values the chart shows."""
    present = set(codes.dropna())
    return [code for code in vocabulary if code in present]


def _labelled(frame: pd.DataFrame, column: str, labels: dict[str, str]) -> pd.Series:
    return frame[column].map(lambda code: _(labels.get(code, code)))


@chart_cache.memo
def theme_response(frame: pd.DataFrame, n: int, basis: str) -> alt.Chart:
    """Horizontal stacked bars: themes by response (from queries.by_theme_response)."""
    order = _occurring(RESPONSE_COLOURS, frame["response"])
    data = frame.assign(
        response_label=_labelled(frame, "response", schema.RESPONSES),
        theme_label=frame["theme"].map(lambda c: _(taxonomy.THEMES.get(c, c))),
        response_order=frame["response"].map(order.index),
    )
    domain = [_(schema.RESPONSES[r]) for r in order]
    totals = data.groupby("theme_label")["n"].sum().sort_values(ascending=False)
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            # No axis title: the chart's title says "by theme" and long labels need the room.
            y=alt.Y("theme_label:N", sort=list(totals.index), title=None),
            x=alt.X(
                "n:Q",
                title=_("Recommendations"),
                stack="zero",
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            color=alt.Color(
                "response_label:N",
                title=_("Response"),
                scale=alt.Scale(domain=domain, range=[RESPONSE_COLOURS[r] for r in order]),
            ),
            order=alt.Order("response_order:Q"),
            tooltip=[
                alt.Tooltip("theme_label:N", title=_("Theme")),
                alt.Tooltip("response_label:N", title=_("Response")),
                alt.Tooltip("n:Q", title=_("Recommendations")),
            ],
        )
    )
    chart = bars.properties(
        title=chart_title(_("Recommendations by theme and response"), basis_phrase(n, basis)),
        height=alt.Step(24),
        width="container",
    )
    return _finish(chart)


@chart_cache.memo
def status_grid(
    frame: pd.DataFrame,
    dimension: str,
    dimension_title: str,
    n: int,
    basis: str,
    title: str,
    by_response: bool = False,
) -> alt.Chart:
    """A grid: rows are `dimension` labels, columns are statuses, each cell says its count;
    with `by_response`, a column per response and status ("Supported: Not assessed", ...).

    One chart of the container's width either way (a facet per response has a fixed width,
    and side by side they ran off a phone's screen)."""
    keys = ["label", "status"] + (["response"] if by_response else [])
    data = frame.groupby(keys, as_index=False)["n"].sum()
    data["status_label"] = _labelled(data, "status", STATUS_CHOICES)
    present = _occurring(STATUS_CHOICES, data["status"])
    order = [_(STATUS_CHOICES[s]) for s in present]
    column, column_title, columns = "status_label", _("Status"), order
    tooltip = [
        alt.Tooltip("label:N", title=dimension_title),
        alt.Tooltip("status_label:N", title=_("Status")),
        alt.Tooltip("n:Q", title=_("Recommendations")),
    ]
    if by_response:
        data["response_label"] = _labelled(data, "response", schema.RESPONSES)
        data["column_label"] = [
            _("{response}: {status}", response=r, status=st)
            for r, st in zip(data["response_label"], data["status_label"], strict=True)
        ]
        column, column_title = "column_label", _("Response and status")
        columns = [
            _("{response}: {status}", response=_(schema.RESPONSES[r]), status=st)
            for r in _occurring(schema.RESPONSES, data["response"])
            for st in order
        ]
        columns = [c for c in columns if c in set(data["column_label"])]
        tooltip.insert(1, alt.Tooltip("response_label:N", title=_("Response")))
    base = alt.Chart(data).encode(
        x=alt.X(
            f"{column}:N",
            sort=columns,
            title=column_title,
            # Upright labels never overlap (Vega hides overlapping ones), however narrow the
            # columns are on a phone.
            axis=alt.Axis(labelAngle=-90, orient="top", labelLimit=200, labelOverlap=False),
        ),
        # No axis title: rotated, it ran into the first label; the chart's title names the rows
        # and the tooltip says `dimension_title`.
        y=alt.Y("label:N", title=None, sort=None),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color(
            "status_label:N",
            title=_("Status"),
            legend=None,  # the status is written on the axis
            scale=alt.Scale(domain=order, range=[STATUS_COLOURS[s] for s in present]),
        ),
        opacity=alt.Opacity("n:Q", legend=None, scale=alt.Scale(range=[0.35, 1])),
        tooltip=tooltip,
    )
    text = base.mark_text(fontSize=FONT_SIZE, color="black").encode(text="n:Q")
    chart = (cells + text).properties(
        title=chart_title(title, basis_phrase(n, basis)), height=alt.Step(28), width="container"
    )
    return _finish(chart)


@chart_cache.memo
def role_status(frame: pd.DataFrame, n: int, basis: str) -> alt.Chart:
    data = frame.assign(label=_labelled(frame, "role", schema.ROLES))
    return status_grid(
        data, "role", _("Assessor role"), n, basis, _("Latest assessment by each stakeholder role")
    )


@chart_cache.memo
def state_bars(
    frame: pd.DataFrame, n: int, measure: str, measure_title: str, top: int = 25
) -> alt.Chart:
    """The recommending States with the highest `measure` (from queries.by_state)."""
    data = frame.sort_values([measure, "name"], ascending=[False, True]).head(top)
    is_share = measure.startswith("share")
    chart = (
        alt.Chart(data)
        .mark_bar(color="#0072B2")
        .encode(
            y=alt.Y("name:N", sort=None, title=_("Recommending State")),
            x=alt.X(
                f"{measure}:Q", title=measure_title, axis=alt.Axis(format="%" if is_share else "d")
            ),
            tooltip=[
                alt.Tooltip("name:N", title=_("Recommending State")),
                alt.Tooltip(f"{measure}:Q", title=measure_title, format=".0%" if is_share else "d"),
                alt.Tooltip("recommendations:Q", title=_("Recommendations")),
            ],
        )
        .properties(
            title=chart_title(
                _("Recommending States: {measure}", measure=measure_title),
                _(
                    "Top {top} of {n} States; a State is credited on every paragraph it "
                    "made, clustered ones included",
                    top=min(top, len(frame)),
                    n=n,
                ),
            ),
            height=alt.Step(20),
            width="container",
        )
    )
    return _finish(chart)


MAP_HEIGHT = 420  # a 1280x720 projector shows the map and its legend without scrolling


@chart_cache.memo
def world_map(values: pd.DataFrame, measure_title: str, value_format: str) -> chart_cache.Prepared:
    """Recommending States coloured by a measure's class (`values`: iso3, value, label), the rest
    grey; each State's name and value in its tooltip. Equal Earth, fitted to the container's
    width, so the whole world shows on a phone too.

    The boundaries go into the finished spec as a named dataset: given to Altair as inline data
    they took 0.7 s to validate and convert, for every measure and selection."""
    missing = _("No recommendation")
    bins = geo.legend_bins(values, value_format=value_format)
    domain = [label for label, _rgb in bins] + [missing]
    colours = [geo.hex_colour(rgb) for _label, rgb in bins] + [geo.hex_colour(geo.NO_VALUE_RGB)]
    chart = (
        alt.Chart(alt.NamedData(name="countries"))
        .mark_geoshape(stroke=geo.hex_colour(geo.OUTLINE_RGB), strokeWidth=0.5)
        .encode(
            color=alt.Color(
                "properties.class:N",
                scale=alt.Scale(domain=domain, range=colours),
                legend=alt.Legend(title=measure_title, symbolType="square"),
            ),
            tooltip=[
                alt.Tooltip("properties.name:N", title=_("Recommending State")),
                alt.Tooltip("properties.label:N", title=measure_title),
            ],
        )
        .project("equalEarth")
        .properties(
            title=chart_title(
                _("Recommending States: {measure}", measure=measure_title),
                _(
                    "Grey: no recommendation in this selection. {n} States.",
                    n=values["iso3"].nunique(),
                ),
            ),
            width="container",
            height=MAP_HEIGHT,
        )
    )
    spec = _finish(chart).to_dict()
    features = geo.choropleth_features(values, value_format=value_format, missing_label=missing)
    spec["datasets"] = {"countries": features}
    return chart_cache.Prepared(spec)


@chart_cache.memo
def evidence_timeline(frame: pd.DataFrame, n: int) -> alt.Chart:
    """Dated evidence: progress up, regression down, by shape and colour and row."""
    data = frame.assign(
        direction_label=_labelled(frame, "direction", schema.DIRECTIONS),
        role_label=_labelled(frame, "role", schema.ROLES),
        kind_label=_labelled(
            frame.fillna({"source_kind": schema.KIND_NOT_RECORDED}),
            "source_kind",
            schema.SOURCE_KIND_CHOICES,
        ),
        publisher=frame["publisher"].fillna(""),
    )
    present = _occurring(schema.DIRECTIONS, frame["direction"])
    order = [_(schema.DIRECTIONS[d]) for d in present]
    chart = (
        alt.Chart(data)
        .mark_point(size=160, filled=True, opacity=0.85)
        .encode(
            x=alt.X("date:T", title=_("Date")),
            y=alt.Y("direction_label:N", sort=order, title=_("Direction")),
            shape=alt.Shape(
                "direction_label:N",
                title=_("Direction"),
                scale=alt.Scale(domain=order, range=[DIRECTION_SHAPES[d] for d in present]),
            ),
            color=alt.Color(
                "direction_label:N",
                title=_("Direction"),
                scale=alt.Scale(domain=order, range=[DIRECTION_COLOURS[d] for d in present]),
            ),
            tooltip=[
                alt.Tooltip("date:T", title=_("Date")),
                alt.Tooltip("direction_label:N", title=_("Direction")),
                alt.Tooltip("role_label:N", title=_("Role")),
                alt.Tooltip("actor:N", title=_("Actor")),
                alt.Tooltip("summary:N", title=_("Summary")),
                alt.Tooltip("kind_label:N", title=_("Kind of source")),
                alt.Tooltip("publisher:N", title=_("Publisher")),
                alt.Tooltip("recommendations:Q", title=_("Recommendations")),
            ],
        )
        .properties(
            title=chart_title(
                _("Evidence over time"),
                _("n = {n} dated pieces of evidence bearing on the selection", n=n),
            ),
            height=alt.Step(60),
            width="container",
        )
    )
    return _finish(chart)


def _year_grid(
    data: pd.DataFrame, row_title: str, row_order: list[str], title: str, subtitle: str
) -> alt.Chart:
    """Rows (`row_label`) by year: each cell writes how many evidence items it holds, so the
    count never depends on the shade alone. Years without an item are left blank."""
    years = list(range(int(data["year"].min()), int(data["year"].max()) + 1)) if len(data) else []
    most = int(data["n"].max()) if len(data) else 0
    data = data.assign(ink=["white" if 2 * n > most else "black" for n in data["n"]])
    base = alt.Chart(data).encode(
        x=alt.X(
            "year:O",
            title=_("Year of the evidence"),
            sort=years,
            scale=alt.Scale(domain=years),
            axis=alt.Axis(labelAngle=0, orient="top"),
        ),
        y=alt.Y("row_label:N", sort=row_order, title=None),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color(
            "n:Q", legend=None, scale=alt.Scale(range=["#DCEAF4", "#0072B2"], zero=False)
        ),
        tooltip=[
            alt.Tooltip("row_label:N", title=row_title),
            alt.Tooltip("year:O", title=_("Year")),
            alt.Tooltip("n:Q", title=_("Pieces of evidence")),
            *[
                alt.Tooltip(f"{d}:Q", title=_(label))
                for d, label in schema.DIRECTIONS.items()
                if d in data.columns
            ],
        ],
    )
    # Dark cells get white numbers.
    text = base.mark_text(fontSize=FONT_SIZE).encode(
        text="n:Q", color=alt.Color("ink:N", scale=None, legend=None)
    )
    chart = (
        (cells + text)
        .resolve_scale(color="independent")
        .properties(title=chart_title(title, subtitle), height=alt.Step(26), width="container")
    )
    return _finish(chart)


@chart_cache.memo
def evidence_by_theme(frame: pd.DataFrame, n: int) -> alt.Chart:
    """Themes by year (from queries.evidence_by_theme), the themes with most evidence first."""
    data = frame.assign(row_label=frame["theme"].map(lambda c: _(taxonomy.THEMES.get(c, c))))
    order = list(
        data.groupby("row_label")["n"].sum().sort_values(ascending=False, kind="stable").index
    )
    return _year_grid(
        data,
        _("Theme"),
        order,
        _("Evidence by theme and year"),
        _(
            "n = {n} dated pieces of evidence bearing on the selection; an item counts once "
            "under each theme of the recommendations it bears on",
            n=n,
        ),
    )


@chart_cache.memo
def evidence_by_kind(frame: pd.DataFrame, n: int) -> alt.Chart:
    """Kinds of source by year (from queries.evidence_by_kind), in the vocabulary's order."""
    data = frame.assign(row_label=_labelled(frame, "source_kind", schema.SOURCE_KIND_CHOICES))
    order = [
        _(label)
        for code, label in schema.SOURCE_KIND_CHOICES.items()
        if code in set(frame["source_kind"])
    ]
    return _year_grid(
        data,
        _("Kind of source"),
        order,
        _("Evidence by kind of source and year"),
        _(
            "n = {n} dated pieces of evidence bearing on the selection, by who published "
            "the page each was read from",
            n=n,
        ),
    )


# Text on a coloured part: dark ink on light fills, white on the dark blue.
INK = {"supported": "white", "partially_supported": "black", "noted": "black", "pending": "black"}


def _slide_title(text: str, subtitle: str, note: str) -> alt.TitleParams:
    """A slide chart's title; the note (the cycles not counted) in lines of a size that fits an
    exported image (a title does not wrap by itself)."""
    return alt.TitleParams(
        text,
        subtitle=[subtitle, *textwrap.wrap(note, NOTE_CHARS)],
        anchor="start",
        fontSize=SLIDE_FONT_SIZE + 4,
        subtitleFontSize=SLIDE_FONT_SIZE - 2,
        subtitleColor="#333333",
        **_khmer_lines(SLIDE_FONT_SIZE + 4, SLIDE_FONT_SIZE - 2),
    )


def _slide_finish(chart: alt.Chart) -> alt.Chart:
    return (
        _font(chart)
        .configure_axis(
            labelFontSize=SLIDE_FONT_SIZE, titleFontSize=SLIDE_FONT_SIZE - 2, labelLimit=LABEL_LIMIT
        )
        .configure_legend(
            labelFontSize=SLIDE_FONT_SIZE - 2, titleFontSize=SLIDE_FONT_SIZE - 2, orient="bottom"
        )
    )


@chart_cache.memo
def cycle_responses(frame: pd.DataFrame, title: str, note: str = "") -> alt.Chart:
    """One bar per cycle, in parts by response, each part with its count (for slides; from
    `slides.responses_by_cycle`: cycle, cycle_label, response, n). `note` goes under the
    subtitle (the cycles not loaded: the exported copy says it; the slide says it in text)."""
    present = _occurring(RESPONSE_COLOURS, frame["response"])
    labels = [_(schema.RESPONSES[r]) for r in present]
    data = frame.assign(
        response_label=_labelled(frame, "response", schema.RESPONSES),
        response_order=frame["response"].map(present.index),
        ink=frame["response"].map(INK),
    )
    cycles = list(dict.fromkeys(data.sort_values("cycle")["cycle_label"]))
    n = int(data["n"].sum())
    base = alt.Chart(data).encode(y=alt.Y("cycle_label:N", sort=cycles, title=None))
    bars = base.mark_bar().encode(
        x=alt.X(
            "n:Q",
            stack="zero",
            title=_("Recommendations"),
            axis=alt.Axis(tickMinStep=1, tickCount=5, format="d"),
        ),
        color=alt.Color(
            "response_label:N",
            title=_("Response"),
            sort=labels,
            scale=alt.Scale(domain=labels, range=[RESPONSE_COLOURS[r] for r in present]),
        ),
        order=alt.Order("response_order:Q"),
        tooltip=[
            alt.Tooltip("cycle_label:N", title=_("Cycle")),
            alt.Tooltip("response_label:N", title=_("Response")),
            alt.Tooltip("n:Q", title=_("Recommendations")),
        ],
    )
    # Each part's count in its middle (the same stack as the bars).
    counts = (
        base.transform_stack(
            stack="n",
            as_=["start", "end"],
            groupby=["cycle_label"],
            sort=[alt.SortField("response_order")],
        )
        .transform_calculate(middle="(datum.start + datum.end) / 2")
        .mark_text(fontSize=SLIDE_FONT_SIZE, fontWeight="bold")
        .encode(
            x=alt.X("middle:Q"),
            text=alt.Text("n:Q"),
            color=alt.Color("ink:N", scale=None, legend=None),
        )
    )
    # The counts' ink is a colour of its own, not a response (no legend entry for it).
    chart = (
        (bars + counts)
        .resolve_scale(color="independent")
        .properties(
            title=_slide_title(title, basis_phrase(n, "paragraphs"), note),
            height=alt.Step(SLIDE_FONT_SIZE * 2.2),
            width="container",
        )
    )
    return _slide_finish(chart)


@chart_cache.memo
def role_statuses(frame: pd.DataFrame, role_label: str, note: str = "") -> alt.Chart:
    """One role's latest status on each recommendation of the selection, one bar per status
    that occurs, the count written beside it (for slides; status, n)."""
    present = _occurring(STATUS_CHOICES, frame["status"])
    labels = [_(STATUS_CHOICES[s]) for s in present]
    data = frame.assign(status_label=_labelled(frame, "status", STATUS_CHOICES))
    n = int(data["n"].sum())
    base = alt.Chart(data).encode(
        y=alt.Y("status_label:N", sort=labels, title=None),
        x=alt.X(
            "n:Q",
            title=_("Recommendations"),
            axis=alt.Axis(tickMinStep=1, tickCount=5, format="d"),
        ),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "status_label:N",
            legend=None,  # the status is on the axis
            scale=alt.Scale(domain=labels, range=[STATUS_COLOURS[s] for s in present]),
        ),
        tooltip=[
            alt.Tooltip("status_label:N", title=_("Status")),
            alt.Tooltip("n:Q", title=_("Recommendations")),
        ],
    )
    counts = base.mark_text(align="left", dx=6, fontSize=SLIDE_FONT_SIZE).encode(text="n:Q")
    chart = (bars + counts).properties(
        title=_slide_title(
            _("Latest status, as assessed by: {role}", role=role_label),
            basis_phrase(n, "paragraphs"),
            note,
        ),
        height=alt.Step(SLIDE_FONT_SIZE * 2.2),
        width="container",
    )
    return _slide_finish(chart)
