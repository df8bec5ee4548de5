"""Plain tables (`st.table`, ui.safe.table) a keyboard can scroll: what Streamlit (1.67) leaves out,
added in the browser.

A table wider than the page (on a phone, the coverage table's eight columns) scrolls sideways in a
box that Streamlit makes focusable only when the table is given a width or height in pixels, which
stops its cells from wrapping. A box that cannot take focus cannot be scrolled from a keyboard
(WCAG 2.1.1; axe-core rates it serious: tests/e2e/test_accessibility.py; recent Chromium focuses
such a box anyway, Safari does not), so the script makes every table's box a tab stop, as
Streamlit does for the boxes it scrolls itself. Each cell's text is also a box that scrolls
sideways: where the browser's rounding leaves a word a pixel wider than its column, the style clips
that pixel instead of making one more box to scroll (a column is as wide as its longest word, so
nothing more is ever cut).

Fixed text: no value is built into it. The script registers once per browser tab.
"""

from __future__ import annotations

import streamlit as st

SCRIPT = """<style>
[data-testid="stTableStyledTable"] [data-testid="stMarkdownContainer"] { overflow-x: hidden; }
</style>
<script>
if (!window.uprFocusableTables) {
  window.uprFocusableTables = true;
  const mark = () => {
    for (const table of document.querySelectorAll('[data-testid="stTableStyledTable"]')) {
      const box = table.parentElement;
      if (box && !box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
    }
  };
  new MutationObserver(mark).observe(document.body, {childList: true, subtree: true});
  mark();
}
</script>"""


def enable() -> None:
    """Add the style and the script to the page (in the sidebar, where they take no room)."""
    st.sidebar.html(SCRIPT, unsafe_allow_javascript=True)
