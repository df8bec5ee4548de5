"""Recurring: issues recommended again and again across cycles, with what happened to them.
Choosing an issue shows its recommendations in full."""

import streamlit as st

from ui import detail
from ui.common import context, empty_guidance, selection_header
from upr_data import cached, queries, recurrence, tables
from upr_data.i18n import _, ngettext

f, basis = context()
st.title(_("Recommended again and again"))
n = selection_header(f, "paragraphs")
st.caption(recurrence.explanation())
if n == 0:
    empty_guidance(f)
    st.stop()

links = cached.recurrence_links()
if links.empty:
    st.info(_("No recurring recommendations: the store holds a single cycle, or is too large "
              "for the similarity links to be computed here."))  # fmt: skip
    st.stop()
chains = recurrence.chains(links)
listing = queries.recommendations_by_id(cached.database(), list(chains["rec_id"]))
selected = set(cached.query("recommendations", f, queries.MAX_ROWS)["rec_id"])
issues = tables.recurring(chains, listing, selected)
st.markdown(
    ngettext(
        "**{n} recurring issue** touches this selection.",
        "**{n} recurring issues** touch this selection.",
        len(issues),
    )
)
if issues.empty:
    st.stop()
# How alike an issue's recommendations are: its weakest link, in words (not a bare score).
members = chains.set_index("rec_id")["chain"]
weakest = links.assign(chain=links["rec_id"].map(members)).groupby("chain")["score"].min()
ids_column = _("Recommendations")
issue_ids = [ids.split(", ") for ids in issues[ids_column]]
issues.insert(
    2,
    _("How alike"),
    [recurrence.similarity(weakest[members[ids[0]]]) for ids in issue_ids],
)
event = st.dataframe(
    issues,
    hide_index=True,
    width="stretch",
    height=min(520, 38 + 35 * len(issues)),
    on_select="rerun",
    selection_mode="single-row",
    key="recurring_table",
)
st.caption(_("Choose a row to read the issue's recommendations in full."))
chosen = event.selection.rows if event and event.selection else []
if chosen:
    ids = issue_ids[chosen[0]]
    st.divider()
    rec_id = st.segmented_control(
        _("This issue's recommendations"),
        ids,
        default=ids[-1],  # the latest cycle's
        key=f"recurring_pick-{ids[0]}",
    )
    detail.show(rec_id or ids[-1])
