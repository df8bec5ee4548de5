"""Recommending States: a world map coloured by a chosen measure, the regional-group summary, and
one State's recommendations across cycles (also from the URL, e.g. ?state=DEU)."""

import pandas as pd
import streamlit as st

from ui.common import (
    context,
    download_buttons,
    empty_guidance,
    selection_header,
    show_chart,
    table,
)
from ui.safe import md
from upr_data import brief, cached, charts, settings, store, tables
from upr_data.i18n import _

MEASURES = {
    "recommendations": (_("Recommendations made"), "{:.0f}"),
    "share_supported": (_("Share supported"), "{:.0%}"),
    "share_with_evidence": (_("Share with evidence"), "{:.0%}"),
}

f, basis = context()
st.title(_("Recommending States"))
everyone = f.with_(states=())  # the map shows every State; the State filter picks the list below
n = selection_header(everyone, "paragraphs")
if n == 0:
    empty_guidance(f)
    st.stop()

per_state = cached.query("by_state", everyone)
measure = (
    st.segmented_control(
        _("Colour the map by"),
        list(MEASURES),
        default="recommendations",
        key="map_measure",
        format_func=lambda m: MEASURES[m][0],
    )
    or "recommendations"
)
title, value_format = MEASURES[measure]
values = pd.DataFrame(
    {
        "iso3": per_state["iso3"],
        "value": per_state[measure],
        "label": [value_format.format(v) for v in per_state[measure]],
    }
)
world = charts.world_map(values, title, value_format)
show_chart(world, key="world-map")
download_buttons(world, f"map-{measure}")
st.caption(_("Boundaries: Natural Earth (public domain)."))

st.header(_("By regional group"))
regions = cached.query("by_region", everyone)
table(tables.regions(regions))

st.header(_("One State's recommendations"))
names = dict(zip(per_state["iso3"], per_state["name"], strict=True))
current = f.states[0] if len(f.states) == 1 else None


def _pick() -> None:
    choice = st.session_state["states_page_pick"]
    st.session_state["state"] = [choice] if choice else []


st.selectbox(
    _("Choose a State"),
    [None, *names],
    index=([None, *names].index(current) if current in names else 0),
    key="states_page_pick",
    on_change=_pick,
    format_func=lambda c: _("Choose…") if c is None else f"{names[c]} ({c})",
)
if len(f.states) == 1:
    iso3, con, version = f.states[0], cached.database(), cached.shown_version()

    def _brief() -> bytes:
        # The footer names the snapshot in words ("data as of 1 Dec 2026, snapshot 12").
        when = dict(store.snapshots(settings.store_path())).get(int(version))
        return brief.build_brief(
            con, iso3, data_version=version, sur=f.sur or None, data_as_of=when
        )

    st.download_button(
        md(_("Brief for bilateral dialogue: {name} (PDF)", name=names.get(iso3, iso3))),
        _brief,
        file_name=f"upr-brief-{iso3}.pdf",
        mime="application/pdf",
        on_click="ignore",
        type="primary",
        icon=":material/picture_as_pdf:",
        key="brief",
    )
if f.states:
    rows = cached.query("recommendations", f)
    st.markdown(md(f.describe(len(rows))))
    st.dataframe(tables.recommendations(rows), hide_index=True, width="stretch")
else:
    st.caption(
        _(
            "Choose a State to list its recommendations across cycles with the response of "
            "the State under review and their status."
        )
    )
