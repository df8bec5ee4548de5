"""Drawing a slide in large type, and the slide's place in the URL."""

from __future__ import annotations

import html

import streamlit as st

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
</style>
"""


def url_choice(param: str, choices: tuple[str, ...], default: str) -> str:
    value = st.query_params.get(param, default)
    if value not in choices:
        value = default
    st.query_params[param] = value
    return value


def url_number(param: str, count: int) -> int:
    raw = st.query_params.get(param, "1")
    number = int(raw) if raw.isdigit() else 1
    number = min(max(number, 1), max(count, 1))
    st.query_params[param] = str(number)
    return number


def go(**params: object) -> None:
    for key, value in params.items():
        st.query_params[key] = str(value)


def show(slide: Slide) -> None:
    figures = "".join(
        f"<div class='figure'><div class='value'>{html.escape(value)}</div>"
        f"<div class='label'>{html.escape(label)}</div></div>"
        for label, value in slide.figures
    )
    bullets = "".join(f"<li>{html.escape(b)}</li>" for b in slide.bullets)
    st.markdown(
        STYLE + f"<div class='slide'><h1>{html.escape(slide.title)}</h1>"
        f"<div class='subtitle'>{html.escape(slide.subtitle)}</div>"
        f"<div class='figures'>{figures}</div>"
        + (f"<ul>{bullets}</ul>" if bullets else "")
        + "</div>",
        unsafe_allow_html=True,
    )
