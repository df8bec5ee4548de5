"""Drawing a slide in large type, and the slide's place in the URL.

The slide's text takes the page's font (`.streamlit/config.toml`), whose Noto Sans Khmer face
draws Khmer; in Khmer the lines are taller (`.slide.km`), for the marks Khmer stacks above and
below the line.
"""

from __future__ import annotations

import streamlit as st

from ui.safe import html_text
from upr_data import i18n, params
from upr_data.slides import Slide

STYLE = """
<style>
.slide h1 {font-size: 3.2rem; line-height: 1.15; margin: 0.2rem 0 0.4rem 0;}
.slide .subtitle {font-size: 1.5rem; color: #333; margin-bottom: 1.2rem;}
.slide .figures {display: flex; flex-wrap: wrap; gap: 1.2rem 2.4rem; margin: 1rem 0;}
.slide .figure .value {font-size: 3.4rem; font-weight: 700; line-height: 1.1;}
.slide .figure .label {font-size: 1.3rem; color: #333;}
.slide ul {font-size: 1.7rem; line-height: 1.4;}
.slide-count {font-size: 1.3rem; text-align: center; margin-top: 0.4rem;}
.slide.km h1 {line-height: 1.6;}
.slide.km .subtitle, .slide.km .figure .label {line-height: 1.7;}
.slide.km ul {line-height: 1.6;}
</style>
"""


def url_choice(param: str, choices: tuple[str, ...], default: str) -> str:
    """One of `choices` from the link (anything else: `default`), written back to the link."""
    value = params.choice(params.read(st.query_params, [param]).first(param), choices, default)
    st.query_params[param] = value
    return value


def url_number(param: str, count: int) -> int:
    """The slide number from the link, within 1..count (anything else: 1), written back."""
    raw = params.read(st.query_params, [param]).first(param, "1")
    number = params.number(raw, 1, 1, max(count, 1))
    st.query_params[param] = str(number)
    return number


def go(**params: object) -> None:
    for key, value in params.items():
        st.query_params[key] = str(value)


def show(slide: Slide) -> None:
    figures = "".join(
        f"<div class='figure'><div class='value'>{html_text(value)}</div>"
        f"<div class='label'>{html_text(label)}</div></div>"
        for label, value in slide.figures
    )
    bullets = "".join(f"<li>{html_text(b)}</li>" for b in slide.bullets)
    st.markdown(
        STYLE
        + f"<div class='slide{' km' if i18n.is_khmer() else ''}'><h1>{html_text(slide.title)}</h1>"
        f"<div class='subtitle'>{html_text(slide.subtitle)}</div>"
        f"<div class='figures'>{figures}</div>"
        + (f"<ul>{bullets}</ul>" if bullets else "")
        + "</div>",
        unsafe_allow_html=True,
    )
