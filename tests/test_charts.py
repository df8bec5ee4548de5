"""Chart builders: n and the counting basis in every chart, status never by colour alone."""

from __future__ import annotations

import json

from tests.chart_text import subtitle_text
from upr_data import charts, queries, slides, tables, taxonomy
from upr_data.filters import Filters


def spec(chart) -> dict:
    return chart.to_dict()


def test_theme_response_says_n_and_basis(tiny_db):
    frame = queries.by_theme_response(tiny_db, Filters())
    by_paragraph = json.dumps(spec(charts.theme_response(frame, 4, "paragraphs")))
    assert "n = 4 recommendations counted by paragraph" in by_paragraph
    by_state = spec(charts.theme_response(frame, 5, "states"))
    assert subtitle_text(by_state) == "n = 5 recommendations counted once per recommending State"
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


def test_status_grid_by_response_has_a_column_per_response_and_status(tiny_db):
    frame = tables.with_labels(
        queries.by_theme_status(tiny_db, Filters(), "government"), "theme", taxonomy.THEMES
    )
    chart = spec(charts.status_grid(frame, "theme", "Theme", 4, "paragraphs", "T", True))
    # One chart of the container's width (facets side by side ran off a phone's screen).
    assert "facet" not in chart and chart["width"] == "container"
    x = chart["layer"][0]["encoding"]["x"]
    assert x["field"] == "column_label"
    cells = {r["column_label"] for r in next(iter(chart["datasets"].values()))}
    assert set(x["sort"]) == cells and "Noted: Not assessed" in cells
    # The responses in their order, the statuses in theirs within each.
    assert x["sort"][0] == "Supported: Not assessed" and x["sort"][-1].startswith("Noted: ")


def test_evidence_timeline_uses_shape_as_well_as_colour(tiny_db):
    frame = queries.evidence_timeline(tiny_db, Filters())
    chart = spec(charts.evidence_timeline(frame, len(frame)))
    assert chart["encoding"]["shape"]["field"] == "direction_label"
    assert chart["encoding"]["y"]["field"] == "direction_label"
    assert "n = 3 dated pieces of evidence" in json.dumps(chart)


def _domains(node) -> list[list]:
    """Every explicit scale domain in a spec (colour, shape, ...: what legends list)."""
    found = []
    if isinstance(node, dict):
        scale = node.get("scale")
        if isinstance(scale, dict) and isinstance(scale.get("domain"), list):
            found.append(scale["domain"])
        for value in node.values():
            found += _domains(value)
    elif isinstance(node, list):
        for item in node:
            found += _domains(item)
    return found


def _values(chart: dict) -> set:
    """Every value in the chart's inlined data."""
    rows = [row for rows in chart["datasets"].values() for row in rows]
    return {v for row in rows for v in row.values() if not isinstance(v, list)}


def _all_charts(db, f: Filters) -> dict[str, dict]:
    themes = queries.by_theme_response(db, f)
    status = tables.with_labels(
        queries.by_theme_status(db, f, "civil_society"), "theme", taxonomy.THEMES
    )
    evidence = queries.evidence_timeline(db, f)
    deck = slides.build(db, f)
    roles = slides.build(db, f, "role")
    n = queries.count(db, f)
    return {
        "theme_response": spec(charts.theme_response(themes, n, "paragraphs")),
        "status_grid": spec(charts.status_grid(status, "theme", "Theme", n, "paragraphs", "T")),
        "by_response": spec(
            charts.status_grid(status, "theme", "Theme", n, "paragraphs", "T", True)
        ),
        "role_status": spec(charts.role_status(queries.by_role_status(db, f), n, "paragraphs")),
        "evidence_timeline": spec(charts.evidence_timeline(evidence, len(evidence))),
        "cycle_responses": spec(charts.cycle_responses(deck[0].chart_data, "T")),
        "theme_cycles": spec(charts.cycle_responses(deck[-1].chart_data, "T")),
        "role_statuses": spec(charts.role_statuses(roles[3].chart_data, "Civil society")),
    }


def test_legends_list_only_values_that_occur(real_db):
    """The bundled store has no "Partially supported" or "Pending" response, no "Fully
    implemented" status: no legend or scale of any chart may list them."""
    for f in (Filters(), Filters(responses=("supported",))):
        for name, chart in _all_charts(real_db, f).items():
            shown = _values(chart)
            for domain in _domains(chart):
                assert set(domain) <= shown, (name, f, set(domain) - shown)
    shown = _all_charts(real_db, Filters(responses=("supported",)))
    assert _domains(shown["theme_response"]) == [["Supported"]]
    assert ["Supported", "Noted"] in _domains(_all_charts(real_db, Filters())["cycle_responses"])


def test_heatmap_rows_have_no_rotated_title(tiny_db):
    """A rotated "Theme" beside the rows ran into the first label: the chart's title names the
    rows, the tooltip says the row's kind."""
    frame = tables.with_labels(
        queries.by_theme_status(tiny_db, Filters(), "government"), "theme", taxonomy.THEMES
    )
    for by_response in (False, True):
        chart = spec(charts.status_grid(frame, "theme", "Theme", 4, "paragraphs", "T", by_response))
        layers = chart.get("layer") or chart["spec"]["layer"]
        for layer in layers:
            assert layer["encoding"]["y"]["title"] is None
        tooltips = [t["title"] for t in layers[0]["encoding"]["tooltip"]]
        assert "Theme" in tooltips


def test_axis_labels_leave_the_bars_room_on_a_phone(tiny_db):
    """Bar charts and heatmaps limit their labels to a share of the container (the full text is
    in the tooltip), so a 390 px screen shows the bars; the browser test measures it."""
    frame = queries.by_theme_response(tiny_db, Filters())
    for chart in (
        charts.theme_response(frame, 4, "paragraphs"),
        charts.evidence_by_theme(queries.evidence_by_theme(tiny_db, Filters()), 3),
        charts.cycle_responses(slides.build(tiny_db, Filters())[0].chart_data, "T"),
    ):
        limit = spec(chart)["config"]["axis"]["labelLimit"]
        assert limit == charts.LABEL_LIMIT and "containerSize()[0] * 0.4" in limit["expr"]


def test_slide_charts_say_n_and_the_cycles_not_counted_when_exported(real_db):
    deck = slides.build(real_db, Filters())
    chart = spec(charts.cycle_responses(deck[0].chart_data, "Responses", deck[0].missing))
    subtitle = chart["title"]["subtitle"]
    assert subtitle[0] == "n = 296 recommendations counted by paragraph (the UN's count)"
    assert " ".join(subtitle[1:]) == deck[0].missing  # in lines that fit an image
    assert all(len(line) <= charts.NOTE_CHARS for line in subtitle)
    assert chart["title"]["fontSize"] > charts.FONT_SIZE + 4  # large type on a slide
    on_slide = spec(charts.cycle_responses(deck[0].chart_data, "Responses"))
    assert on_slide["title"]["subtitle"] == subtitle[:1]
    # The written counts are the bars' own.
    counts = {(r["cycle"], r["response"]): r["n"] for r in deck[0].chart_data.to_dict("records")}
    assert counts == {(1, "supported"): 91, (2, "supported"): 163, (2, "noted"): 42}


def test_a_long_title_is_drawn_in_whole_words_on_a_phone_and_on_one_line_elsewhere():
    title = charts.chart_title(
        "Latest status by theme, as assessed by: Civil society",
        "n = 296 recommendations counted by paragraph (the UN's count)",
    ).to_dict()
    narrow, wide = title["text"]["expr"].split(" ? ", 1)[1].rsplit(" : ", 1)
    assert "containerSize()[0] < 600" in title["text"]["expr"]
    assert json.loads(wide) == "Latest status by theme, as assessed by: Civil society"
    lines = json.loads(narrow)
    assert " ".join(lines) == json.loads(wide) and len(lines) == 2
    assert all(len(line) <= charts.TITLE_CHARS for line in lines)
    assert title["subtitle"] == ["n = 296 recommendations counted by paragraph", "(the UN's count)"]
    # No limit but the chart's own width on a page; none in an exported image.
    assert title["limit"] == charts.CHART_WIDTH and title["frame"] == "bounds"
    short = charts.chart_title("The UPR calendar", "").to_dict()
    assert short["text"] == "The UPR calendar"
