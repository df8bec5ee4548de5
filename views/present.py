"""Present: the current selection as slides in large type for a projector, with previous and next
controls; the slide number (and whether slides go by theme or role) is in the URL."""

import streamlit as st

from ui import slides_view
from ui.common import context, empty_guidance, selection_header
from ui.safe import html_text
from upr_data import cached, charts, slides
from upr_data.countries import display_name
from upr_data.i18n import _

f, basis = context()
by = slides_view.url_choice("by", slides.BY, "theme")
if selection_header(f, "paragraphs") == 0:
    empty_guidance(f)
    st.stop()
deck = cached.query("slides", f, by)
number = slides_view.url_number("slide", len(deck))

controls = st.columns([3, 1, 2, 1])
chosen = controls[0].segmented_control(
    _("Slides by"),
    list(slides.BY),
    default=by,
    key="present_by",
    format_func=lambda b: _("theme") if b == "theme" else _("stakeholder role"),
)
if chosen and chosen != by:
    slides_view.go(by=chosen, slide=1)
controls[1].button(
    _("◀ Previous"),
    disabled=number <= 1,
    key="previous",
    width="stretch",
    on_click=slides_view.go,
    kwargs={"slide": number - 1},
    shortcut="Left",
)
# Translated outside the f-string: the catalog's extractor does not look inside one.
count = _("Slide {k} of {n}", k=number, n=len(deck))
controls[2].markdown(f"<p class='slide-count'>{html_text(count)}</p>", unsafe_allow_html=True)
controls[3].button(
    _("Next ▶"),
    disabled=number >= len(deck),
    key="next",
    width="stretch",
    on_click=slides_view.go,
    kwargs={"slide": number + 1},
    shortcut="Right",
)

slide = deck[number - 1]
slides_view.show(slide)
if slide.responses is not None and not slide.responses.empty:
    n = int(slide.responses["n"].sum())
    reviewed = display_name(cached.query("reviewed_state", f))
    st.altair_chart(charts.response_bar(slide.responses, n, reviewed), width="stretch")
