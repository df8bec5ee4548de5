"""Recurring: issues recommended again and again across cycles, with what happened to them."""

import streamlit as st

from ui.common import context, empty_guidance, selection_header
from upr_data import cached, queries, recurrence, tables
from upr_data.i18n import _, ngettext

f, basis = context()
st.title(_("Recommended again and again"))
n = selection_header(f, "paragraphs")
st.caption(_("Recommendations of different cycles are linked when their texts are similar "
             "(TF-IDF cosine) and their themes overlap: score = 0.7 × text + 0.3 × themes, kept "
             "from {threshold}. A chain of links is one recurring issue.",
             threshold=recurrence.THRESHOLD))  # fmt: skip
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
st.dataframe(issues, hide_index=True, width="stretch", height=520)
