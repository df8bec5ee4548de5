"""Drawing a slide in large type, and the slide's place in the URL.

The slide's text takes the page's font (`.streamlit/config.toml`), whose Noto Sans Khmer face
draws Khmer; in Khmer the lines are taller (`.slide.km`), for the marks Khmer stacks above and
below the line.
"""

from __future__ import annotations

import altair as alt
import streamlit as st

from ui import view_link
from ui.common import download_buttons, show_chart
from ui.safe import html_text
from upr_data import charts, i18n, slides
from upr_data.i18n import _
from upr_data.slides import Slide

# Fits a 1280x720 projector (controls, title, figures and chart without scrolling) and a 390 px
# phone: sizes follow the viewport (clamp), and a title wraps between words, never inside one.
STYLE = """
<style>
[data-testid="stMainBlockContainer"] {padding-top: 3.75rem; padding-bottom: 1rem;}
.slide h1 {
  font-size: clamp(1.6rem, 1rem + 2.2vw, 3rem) !important; line-height: 1.15;
  margin: 0 0 0.3rem 0; padding: 0;
  overflow-wrap: normal !important; word-break: normal !important; hyphens: manual !important;
}
.slide .subtitle {font-size: clamp(1.05rem, 0.8rem + 0.6vw, 1.4rem); color: #333;}
.slide .figures {display: flex; flex-wrap: wrap; gap: 0.4rem 2.2rem; margin: 0.6rem 0;}
.slide .figure .value {
  font-size: clamp(1.5rem, 1rem + 1.6vw, 2.6rem); font-weight: 700; line-height: 1.1;
  white-space: nowrap;
}
.slide .figure .label {font-size: clamp(1rem, 0.8rem + 0.4vw, 1.25rem); color: #333;}
.slide ul {font-size: clamp(1rem, 0.8rem + 0.5vw, 1.3rem); line-height: 1.35;}
.slide .missing {font-size: clamp(1rem, 0.8rem + 0.4vw, 1.2rem); color: #333; margin: 0;}
.slide-count {font-size: clamp(1.1rem, 0.9rem + 0.4vw, 1.3rem); text-align: center;
  margin-top: 0.3rem;}
.slide.km h1 {line-height: 1.6;}
.slide.km .subtitle, .slide.km .figure .label, .slide.km .missing {line-height: 1.7;}
.slide.km ul {line-height: 1.6;}
</style>
"""


def _switch_by() -> None:
    """The "Slides by" control changed: the other deck, from its first slide. (A callback runs
    before the script, so the run that follows reads the new link: the slide number, its count
    and its title always come from one deck.)"""
    view_link.go(by=st.session_state["present_by"], slide=1)


def controls(by: str, number: int, count: int) -> None:
    """Slides by theme or role, previous, "Slide k of n", next; each changes the link."""
    row = st.columns([3, 1, 2, 1], vertical_alignment="center")
    st.session_state["present_by"] = by  # the link decides (a deep link, the back button)
    row[0].segmented_control(
        _("Slides by"),
        list(slides.BY),
        key="present_by",
        required=True,
        on_change=_switch_by,
        format_func=lambda b: _("theme") if b == "theme" else _("stakeholder role"),
        label_visibility="collapsed",
    )
    row[1].button(
        _("◀ Previous"),
        disabled=number <= 1,
        key="previous",
        width="stretch",
        on_click=view_link.go,
        kwargs={"slide": number - 1},
        shortcut="Left",
    )
    # Translated outside the f-string: the catalog's extractor does not look inside one.
    text = _("Slide {k} of {n}", k=number, n=count)
    row[2].markdown(f"<p class='slide-count'>{html_text(text)}</p>", unsafe_allow_html=True)
    row[3].button(
        _("Next ▶"),
        disabled=number >= count,
        key="next",
        width="stretch",
        on_click=view_link.go,
        kwargs={"slide": number + 1},
        shortcut="Right",
    )


def chart(slide: Slide, state: str, exported: bool = False) -> alt.Chart | None:
    """The slide's own chart: responses by cycle (the selection or a theme), or the statuses a
    role has assessed. The `exported` copy (PNG, SVG) names the cycles it does not count, which
    the slide says in its text."""
    if slide.chart_data is None or slide.chart_data.empty:
        return None
    note = slide.missing if exported else ""
    if slide.chart == "statuses":
        return charts.role_statuses(slide.chart_data, slide.title, note)
    # On the slide the title above names the theme; an exported copy stands alone.
    if not slide.subject:
        title = _("Responses of {state} by cycle", state=state)
    elif exported:
        title = _("{theme}: responses by cycle", theme=slide.title)
    else:
        title = _("Responses by cycle")
    return charts.cycle_responses(slide.chart_data, title, note)


def _html(css_class: str, body: str) -> None:
    khmer = " km" if i18n.is_khmer() else ""
    st.markdown(f"<div class='slide{khmer}{css_class}'>{body}</div>", unsafe_allow_html=True)


def show(slide: Slide, state: str, key: str) -> None:
    """The slide: title, subtitle, figures and the cycles they do not count across the top;
    below, its list beside its chart (one above the other on a phone)."""
    figures = "".join(
        f"<div class='figure'><div class='value'>{html_text(value)}</div>"
        f"<div class='label'>{html_text(label)}</div></div>"
        for label, value in slide.figures
    )
    st.markdown(STYLE, unsafe_allow_html=True)
    _html(
        "",
        f"<h1>{html_text(slide.title)}</h1>"
        f"<div class='subtitle'>{html_text(slide.subtitle)}</div>"
        f"<div class='figures'>{figures}</div>"
        + (f"<p class='missing'>{html_text(slide.missing)}</p>" if slide.missing else ""),
    )
    drawn = chart(slide, state)
    text, picture = st.columns([2, 3]) if drawn is not None else (st.container(), None)
    with text:
        bullets = "".join(f"<li>{html_text(b)}</li>" for b in slide.bullets)
        if bullets:
            _html(" notes", f"<ul>{bullets}</ul>")
    if picture is not None:
        with picture:
            show_chart(drawn, key=f"chart-{key}")
            download_buttons(chart(slide, state, exported=True), key)
