"""The one way to show text that did not come from our code: as text, never as Markdown or HTML.

Streamlit renders the body of `st.markdown`, `st.caption`, `st.warning`, `st.info`, `st.error`,
`st.success`, widget labels and headers as Markdown (with its own extensions: `:red[...]`,
`:material/...:`, `$math$`, autolinked addresses). Anything that comes from a link, the store or
an uploaded file goes through `md` (or `text_block` for several lines) first: every character
Markdown gives a meaning to is backslash-escaped, as CommonMark allows, so `[a](http://x)`,
`![x](http://x/x.png)`, `<img ...>`, `**`, `:red[x]`, `$x$` and a leading `- ` or `1.` all show
as the characters typed; and an invisible word joiner breaks what GitHub-flavoured Markdown
would turn into a link after escapes are read (`www.`, `://`, `@`). Inside HTML we build
ourselves (the slides), `html_text` escapes instead.

A link is drawn only by `link`, from an address our code parsed with `urllib.parse` and rebuilt:
http or https, a host name, no user name or password, every character of path, query and fragment
percent-quoted. Anything else is shown as text with no link.
"""

from __future__ import annotations

import html
import ipaddress
import re
import unicodedata
from urllib.parse import quote, urlsplit, urlunsplit

import pandas as pd
import streamlit as st

from upr_data.i18n import _

# The characters Markdown as Streamlit reads it gives a meaning to anywhere in a line (emphasis,
# code, links, images, HTML, entities, tables, strikethrough, math, :directives:), and those it
# gives a meaning to at the start of a line (lists, headings, setext underlines). Commas, full
# stops, slashes, quotes and the like stay as they are, so the page's Markdown stays readable.
MARKDOWN_SPECIAL = "\\`*_{}[]()<>#!|~$:&"
_SPECIAL = re.compile("([" + re.escape(MARKDOWN_SPECIAL) + "])")
_LINE_START = re.compile(r"^([-+=])|^([0-9]{1,9})([.)])")
# Characters a line must not carry into the page: controls (other than tab), bidi overrides.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
MAX_URL = 2000
_HOST_NAME = re.compile(
    r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?"
)
# Kept as-is in a rebuilt address; everything else (spaces, parentheses, quotes, < >) is quoted.
_URL_SAFE = "/:@!$&*+,;=-._~%"


def _one_line(value: object) -> str:
    text = "" if value is None else str(value)
    return " ".join(_INVISIBLE.sub("", text).split())


_JOINER = "\u2060"  # WORD JOINER: invisible, and not a character an address can hold


def _no_autolinks(text: str) -> str:
    """GitHub-flavoured Markdown turns `www.x`, `http://x` and `a@b.c` found in plain text into
    links after escapes are read, so escaping cannot stop it: an invisible word joiner inside
    each of those patterns does."""
    text = re.sub(r"(?i)(www)(?=\.)", "\\1" + _JOINER, text)
    text = re.sub(r":(?=/)", ":" + _JOINER, text)
    return text.replace("@", "@" + _JOINER)


def md(value: object) -> str:
    """`value` as Markdown that displays exactly its characters, on one line, with no link."""
    text = _SPECIAL.sub(r"\\\1", _no_autolinks(_one_line(value)))
    return _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)


def text_block(value: object) -> str:
    """Several lines of text as Markdown that displays them as typed: line breaks kept, blank
    lines kept as paragraph breaks, nothing interpreted (no list, heading or code block)."""
    text = "" if value is None else str(value)
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    out = []
    for paragraph in paragraphs:
        lines = [md(line) for line in paragraph.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            out.append("  \n".join(lines))
    return "\n\n".join(out)


def html_text(value: object) -> str:
    """`value` for inside HTML our code writes: escaped, on one line (a blank line would end the
    HTML block and let Markdown back in)."""
    return html.escape(_one_line(value), quote=True)


def safe_url(value: object) -> str | None:
    """The address rebuilt from its parsed parts, or None if it is not a plain http(s) link."""
    if not isinstance(value, str) or not value or len(value) > MAX_URL:
        return None
    if _INVISIBLE.search(value) or any(c.isspace() for c in value):
        return None
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError on a port that is not a number in range
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    if parts.username is not None or parts.password is not None:
        return None  # http://bank.example@evil.example/ reads as one host and goes to another
    netloc = _host(host)
    if netloc is None:
        return None
    if port is not None:
        netloc += f":{port}"
    return urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            quote(unicodedata.normalize("NFC", parts.path), safe=_URL_SAFE) or "/",
            quote(parts.query, safe=_URL_SAFE + "?"),
            quote(parts.fragment, safe=_URL_SAFE + "?"),
        )
    )


def _host(host: str) -> str | None:
    """The host as it goes in an address: an IP address, or a name in ASCII (IDNA)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return f"[{address}]" if address.version == 6 else str(address)
    try:
        name = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    return name if _HOST_NAME.fullmatch(name) else None


def link(label: object, url: object) -> str:
    """Markdown for a link to `url` labelled `label` (as text), or the label alone, marked as
    not linked, when the address is not a plain http(s) link."""
    address = safe_url(url)
    shown = md(label) or md(url)
    if address is None:
        return shown + " " + md(_("(link not shown: not a valid http or https address)"))
    return f"[{shown}]({address})"


# -- a tag's provenance ---------------------------------------------------------------------------

# "theme.land_housing: keyword 'land'": the classifier's rule names the tag it gave first.
_RULE_TAG = re.compile(r"^[a-z_]+\.[A-Za-z0-9_]+:\s*")


def tag_provenance(provenance: object, rule: object) -> str:
    """Where a tag comes from, in words, as Markdown that shows exactly that text: the one way
    every view shows a tag's provenance ("From the tracker's classifier: keyword 'land'";
    "Set by a curator: ..."; "From an official file: ..."). The rule is stored text, so it is
    escaped like any other."""
    kind, why = _one_line(provenance), _one_line(rule)
    if kind == "classifier":
        said = _("From the tracker's classifier: {rule}", rule=_RULE_TAG.sub("", why))
    elif kind == "curator":
        said = _("Set by a curator: {rule}", rule=re.sub(r"^curator\s+", "", why))
    elif kind == "official":
        said = _("From an official file: {rule}", rule=re.sub(r"^official:\s*", "", why))
    else:
        said = f"{kind}: {why}" if kind and why else kind or why
    return md(said)


# -- Streamlit elements with their text made safe ----------------------------------------------


def caption(value: object) -> None:
    st.caption(md(value))


def warning(value: object, **kwargs) -> None:
    st.warning(md(value), **kwargs)


def info(value: object, **kwargs) -> None:
    st.info(md(value), **kwargs)


def error_list(intro: str, items: list[object]) -> None:
    """One error box: our own `intro`, then each item (a problem naming file, row and column) as
    text. Very long lists are cut, saying how many more there are."""
    shown = [f"- {md(item)}" for item in items[:MAX_LISTED]]
    if len(items) > MAX_LISTED:
        shown.append("- " + md(_("… and {n} more", n=len(items) - MAX_LISTED)))
    st.error(md(intro) + ("\n\n" + "\n".join(shown) if shown else ""))


MAX_LISTED = 50


def notes_box(notes: list[str], *, limit: int = 5, **kwargs) -> None:
    """Several notes (e.g. about a link's values) in one warning box: the first `limit`, then how
    many more."""
    if not notes:
        return
    unique = list(dict.fromkeys(notes))
    lines = [f"- {md(note)}" for note in unique[:limit]]
    if len(unique) > limit:
        lines.append("- " + md(_("… and {n} more", n=len(unique) - limit)))
    st.warning("\n".join(lines), **kwargs)


# A link's site, as a reader is shown it in place of the address ("ohchr.org"): in the plain
# tables here and, as a LinkColumn's display_text, in the data grids (ui.common.source_links).
SITE_NAME = r"https?://(?:www\.)?([^/:?#]+)"


def site_link(url: object) -> str:
    """Markdown for a link to `url` named by its site; nothing for no address."""
    address = safe_url(url)
    if address is None:
        return link(url, url) if isinstance(url, str) and url.strip() else ""
    return link(re.match(SITE_NAME, address)[1], address)


def table(frame: pd.DataFrame, *, links: tuple[str, ...] = ()) -> None:
    """A short table (one row per cycle, per regional group, the latest five changes) as a plain
    HTML table: every cell shown whole, as text, read by screen readers as a table, and no data
    grid to load (the grid's code takes ~0.2 s of a first visit; bench/first_visit.py). The
    addresses in the columns `links` are links named by their site. st.table reads every cell as
    Markdown, so each text is escaped; numbers stay numbers (aligned as such). A list that can
    run long stays a data grid, which scrolls and sorts."""
    shown = frame.copy()
    for column in shown.columns:
        values = shown[column]
        if column in links:
            shown[column] = [site_link(v) for v in values]
        elif not pd.api.types.is_numeric_dtype(values):
            shown[column] = ["" if pd.isna(v) else md(v) for v in values]
    shown.columns = [md(column) for column in shown.columns]
    st.table(shown, hide_index=True)
