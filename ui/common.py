"""Small view helpers every page uses: the selection header, chart panels, empty states."""

from __future__ import annotations

import copy

import altair as alt
import pandas as pd
import streamlit as st

from ui import safe, search_panel, view_link
from ui.safe import SITE_NAME, md, safe_url
from upr_data import cached, chart_cache, chart_export, i18n, missing, schema
from upr_data.filters import Filters
from upr_data.i18n import _


def context() -> tuple[Filters, str]:
    """The filters and counting basis the router put in session state for this run."""
    return st.session_state["_filters"], st.session_state["_basis"]


def selection_header(f: Filters, basis: str) -> int:
    """The plain-English description of the selection with its count; returns the count."""
    n = cached.query("count", f, basis)
    # The description quotes the link's search text: shown as text, never as Markdown.
    st.markdown(f"**{md(f.describe(n, basis))}**")
    st.caption(md(_("Data: {snapshot}", snapshot=cached.version_label())))
    missing_cycles_note(f)
    return n


def missing_cycles_note(f: Filters) -> None:
    """Which UPR cycles no count on this page includes (their texts are not loaded), so that
    figures never look complete when they are not."""
    sur = cached.query("reviewed_state", f)
    absent, loaded = missing.from_coverage(cached.lookup("coverage", sur))
    # A selection of some cycles covers those only.
    note = missing.missing_note(absent, [c for c in loaded if not f.cycles or c in f.cycles])
    if note:
        st.caption(":material/event_busy: " + md(note))


def source_links(table: pd.DataFrame, column: str) -> tuple[pd.DataFrame, dict]:
    """`table` with `column` made links, each address as rebuilt by ui.safe (no link for anything
    else) and shown as its site's name, and the `column_config` that draws them."""
    table = table.assign(**{column: table[column].map(safe_url)})
    shown = st.column_config.LinkColumn(column, display_text=SITE_NAME)
    return table, {column: shown}


SHORT_TABLE = 25  # rows a table shows whole; a longer one is a data grid that scrolls and sorts


def table(frame: pd.DataFrame, *, links: tuple[str, ...] = ()) -> None:
    """A table of the page: whole, as a plain table (ui.safe.table), when it is short (one row
    per cycle, per regional group, the latest changes); a data grid when it is longer than
    SHORT_TABLE rows. The addresses in the columns `links` are links named by their site."""
    if len(frame) <= SHORT_TABLE:
        safe.table(frame, links=links)
        return
    config: dict = {}
    for column in links:
        frame, drawn = source_links(frame, column)
        config |= drawn
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config)


def empty_guidance(f: Filters) -> None:
    st.info(
        _(
            "No recommendation matches this selection. Remove a filter in the sidebar "
            "(or open the page without parameters) to see more."
        )
    )
    # A search for a name or a document the recommendations' texts do not hold ("Tep Vanny",
    # "A/HRC/26/16") may be in the evidence: said on every page, not on Explore's alone.
    search_panel.found_elsewhere(f)


def show_chart(chart: alt.Chart, key: str | None = None) -> None:
    """Draw a chart from its Vega-Lite spec, made once per chart (`upr_data.chart_cache`): not
    through st.altair_chart, which converts the chart again on every rerun, under a lock all
    sessions share. Streamlit edits the spec it is given, hence the copy."""
    st.vega_lite_chart(copy.deepcopy(chart_cache.spec(chart)), width="stretch", key=key)


def download_buttons(chart: alt.Chart, key: str) -> None:
    """The chart as PNG or SVG, made only when asked for (vl-convert takes about a second). The
    buttons are as wide as their labels, side by side where they fit (columns of a fixed share
    cut "Chart as PNG" short beside a sidebar)."""
    row = st.container(horizontal=True)
    row.download_button(
        _("Chart as PNG"),
        lambda: chart_export.to_png(chart),
        file_name=f"{key}.png",
        mime="image/png",
        key=f"png-{key}",
        on_click="ignore",
        icon=":material/image:",
    )
    row.download_button(
        _("Chart as SVG"),
        lambda: chart_export.to_svg(chart),
        file_name=f"{key}.svg",
        mime="image/svg+xml",
        key=f"svg-{key}",
        on_click="ignore",
        icon=":material/draw:",
    )


def chart_panel(
    chart: alt.Chart, table: pd.DataFrame, key: str, column_config: dict | None = None
) -> None:
    """A chart with its table equivalent one click away (its columns drawn as `column_config`
    says), and the chart as PNG or SVG."""
    # The table is drawn only once its tab is opened (a rerun): a data grid the reader has not
    # asked for slows every first visit (bench/first_visit.py).
    as_chart, as_table = st.tabs([_("Chart"), _("Table")], key=f"tabs-{key}", on_change="rerun")
    with as_chart:
        show_chart(chart, key=f"chart-{key}")
        download_buttons(chart, key)
    if as_table.open:
        with as_table:
            st.dataframe(
                table,
                hide_index=True,
                width="stretch",
                key=f"table-{key}",
                column_config=column_config,
            )


def metric_row(figures: list[tuple[str, str | int]]) -> None:
    """Figures side by side; numbers written for the reader's language (Babel)."""
    for column, (label, value) in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(label, i18n.number(value) if isinstance(value, int) else value)


ROLE_PARAM = "assessed_by"


def role_picker(key: str, default: str = "civil_society") -> str:
    """Whose assessments a status chart shows (never a merge of several roles), kept in the link
    (`?assessed_by=government`)."""
    role = st.segmented_control(
        _("Whose assessment"),
        list(schema.ROLES),
        format_func=lambda r: _(schema.ROLES[r]),
        **view_link.linked(ROLE_PARAM, key, list(schema.ROLES), default),
    )
    return role or default
