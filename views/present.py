"""Present: the current selection as slides in large type for a projector, with previous and next
controls; the slide number (and whether slides go by theme or role) is in the URL.

No app chrome: the sidebar starts collapsed (the filters are one click away) and the selection is
said on the first slide, not in a header above every slide.
"""

from datetime import date

import streamlit as st

from ui import slides_view, view_link
from ui.common import context, empty_guidance, selection_header
from upr_data import cached, slides
from upr_data.countries import display_name

st.set_page_config(initial_sidebar_state="collapsed")
f, basis = context()
by = view_link.choice("by", slides.BY, "theme")
if cached.query("count", f, "paragraphs") == 0:
    selection_header(f, "paragraphs")
    empty_guidance(f)
    st.stop()
deck = cached.query("slides", f, by, date.today())  # the day decides what is overdue
number = view_link.number("slide", len(deck))
slides_view.controls(by, number, len(deck))
slides_view.show(
    deck[number - 1], display_name(cached.query("reviewed_state", f)), f"slide-{by}-{number}"
)
