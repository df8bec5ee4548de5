"""The shared sidebar filters, mirrored in the URL so that any view can be shared as a link.

The URL holds stable codes (`?theme=land_housing&response=supported&state=DEU`), not the labels a
widget shows, so a link works in every language. It is read when it changes (a new link, the
browser's back button); it is written back after every run, which also restores it after
`st.navigation` clears it on a page switch. Values the URL cannot hold are dropped with a note.

The interface language is kept the same way (`?lang=km`): `chosen_language` reads it before
anything is drawn (app.py sets the locale from it), the switch at the top of the sidebar writes
it, and every run writes it back, so a shared link opens in the same language.
"""

from __future__ import annotations

import streamlit as st

from ui import view_link
from upr_data import cached, i18n, params, schema, settings, taxonomy
from upr_data.countries import display_name
from upr_data.filters import EVIDENCE_CHOICES, FACETS, STATUS_CHOICES, Filters
from upr_data.i18n import _

BASIS_PARAM = "basis"
SUR_PARAM = "sur"
PARAMS = [f.param for f in FACETS] + ["q", "evidence", BASIS_PARAM, SUR_PARAM]
_SYNCED = "_url_synced"  # the URL parameters as this session last wrote them
_NOTES, _NOTES_FOR = "_url_notes", "_url_notes_for"  # notes about the link, and its filters
LANG_PARAM = "lang"
LANG_SWITCH = "lang_switch"  # the switch's widget key


def chosen_language() -> str:
    """The interface language: the link's `lang`, else English, so that Back after the switch
    goes back to the language before it. (Every page link carries `lang`: ui.nav.) Anything that
    is not an available language counts as English."""
    asked = params.read(st.query_params, [LANG_PARAM]).first(LANG_PARAM)
    return params.choice(asked, i18n.available_locales(), i18n.DEFAULT_LOCALE)


def _switch_language() -> None:
    """The switch's callback: the new language goes into the link before the rerun, so app.py
    sets the locale from it before anything is drawn."""
    language = st.session_state.get(LANG_SWITCH) or i18n.DEFAULT_LOCALE
    _write_language(language)
    # The filter widgets hold their choices as the labels they showed, in the old language, which
    # the new labels would not match (Streamlit would then keep a label as the value): they are
    # set again from the link, which holds codes.
    st.session_state.pop(_SYNCED, None)


def _write_language(language: str) -> None:
    """`lang=km` in the link for a language other than English; English needs none."""
    view_link.write(LANG_PARAM, language, i18n.DEFAULT_LOCALE)


def _language_switch() -> None:
    """English / ខ្មែរ, each named in itself; in Khmer, a note that the recommendations stay in
    their official English."""
    language = i18n.current_locale()
    languages = sorted(i18n.available_locales(), key=lambda c: (c != i18n.DEFAULT_LOCALE, c))
    st.session_state[LANG_SWITCH] = language
    st.radio(
        _("Language"),
        languages,
        key=LANG_SWITCH,
        horizontal=True,
        format_func=lambda c: i18n.LANGUAGE_NAMES.get(c, c),
        on_change=_switch_language,
    )
    if i18n.is_khmer():
        st.caption(_("Recommendations are shown in their official English text."))
    _write_language(language)


def _url_values() -> tuple[dict[str, list[str]], list[str]]:
    """The filter parameters of the link (bounded: see upr_data.params), and notes on what was
    cut."""
    read = params.read(st.query_params, PARAMS)
    return {p: read.all(p) for p in PARAMS if read.all(p)}, list(read.notes)


def _seed_from(url: dict[str, list[str]], cut: list[str]) -> list[str]:
    """Set every filter widget from the URL; returns the notes about dropped values."""
    f = Filters.from_params(url)
    for facet in FACETS:
        st.session_state[facet.param] = list(getattr(f, facet.attr))
    st.session_state["q"] = f.text
    st.session_state["evidence"] = f.evidence
    st.session_state[SUR_PARAM] = f.sur
    basis = "".join(url.get(BASIS_PARAM, [])) or "paragraphs"
    notes = cut + list(f.notes)
    if basis not in ("paragraphs", "states"):
        notes.append(_("Ignored basis “{value}”: use paragraphs or states.", value=basis[:40]))
        basis = "paragraphs"
    st.session_state[BASIS_PARAM] = basis
    return notes


def _options(choices: list, selected: list) -> list:
    return choices + [value for value in selected if value not in choices]


def render() -> tuple[Filters, str, list[str]]:
    """Draw the filters in the sidebar; returns (filters, counting basis, notes for the user)."""
    url, cut = _url_values()
    state = st.session_state
    # A link opened, or Back and Forward (each filter change is a history entry): the address no
    # longer says what this session last wrote, so the widgets follow it, to no filter at all too.
    seeded = _SYNCED not in state or url != state[_SYNCED]
    if seeded:
        state[_NOTES] = _seed_from(url, cut)

    surs = list(cached.lookup("surs_present")["sur"])
    if len(surs) > 1:
        # More than one State under review in the store: every view shows one of them.
        if state.get(SUR_PARAM) not in surs:
            default = settings.STATE_UNDER_REVIEW
            state[SUR_PARAM] = default if default in surs else surs[0]
        sur = state[SUR_PARAM]
    else:
        sur = state[SUR_PARAM] = ""
    cycles = cached.lookup("cycles_present", sur or None)
    present = cached.lookup("states_present", sur or None)
    names = dict(zip(present["iso3"], present["name"], strict=True))
    label = {
        "cycle": lambda c: _("Cycle {n}", n=c),
        "theme": lambda c: _(taxonomy.THEMES[c]),
        "group": lambda c: _(taxonomy.GROUPS[c]),
        "action": lambda c: _("{code}: {label}", code=c, label=_(taxonomy.ACTION_CATEGORIES[c])),
        "response": lambda c: _(schema.RESPONSES[c]),
        "status": lambda c: _(STATUS_CHOICES[c]),
        "role": lambda c: _(schema.ROLES[c]),
        # The States' own names in the current language; the store's (English) names in English.
        "state": lambda c: (
            display_name(c)
            if i18n.current_locale() != i18n.DEFAULT_LOCALE
            else names.get(c) or display_name(c)
        ),
        "region": lambda c: _(schema.REGIONAL_GROUPS[c]),
    }
    choices = {
        "cycle": cycles,
        "theme": list(taxonomy.THEMES),
        "group": list(taxonomy.GROUPS),
        "action": list(taxonomy.ACTION_CATEGORIES),
        "response": list(schema.RESPONSES),
        "status": list(STATUS_CHOICES),
        "role": list(schema.ROLES),
        "state": list(present["iso3"]),
        "region": list(schema.REGIONAL_GROUPS),
    }
    with st.sidebar:
        _language_switch()
        if len(surs) > 1:
            st.selectbox(
                _("State under review"),
                surs,
                key=SUR_PARAM,
                format_func=display_name,
                help=_("The State whose UPR recommendations every page shows."),
            )
        st.header(_("Filters"))
        st.text_input(
            _("Search the text"),
            key="q",
            max_chars=200,
            placeholder=_("a word, or a paragraph number such as 118.12"),
        )
        for facet in FACETS:
            st.multiselect(
                _(facet.title).capitalize(),
                _options(choices[facet.param], state.get(facet.param, [])),
                format_func=label[facet.param],
                key=facet.param,
                placeholder=_("Any"),
            )
        st.selectbox(
            _("Evidence"),
            ["", *EVIDENCE_CHOICES],
            key="evidence",
            format_func=lambda c: _(EVIDENCE_CHOICES[c]).capitalize() if c else _("Any"),
        )
        st.radio(
            _("Count"),
            ["paragraphs", "states"],
            key=BASIS_PARAM,
            horizontal=False,
            format_func=lambda b: (
                _("by paragraph (UN count)") if b == "paragraphs" else _("by recommending State")
            ),
            help=_(
                "A clustered paragraph made by five States counts once by paragraph "
                "and five times by recommending State."
            ),
        )

    chosen = {facet.param: [str(v) for v in state.get(facet.param, [])] for facet in FACETS}
    chosen["q"] = [state.get("q", "")]
    chosen["evidence"] = [state.get("evidence", "")]
    chosen[SUR_PARAM] = [state.get(SUR_PARAM, "")]
    f = Filters.from_params(chosen)
    basis = state.get(BASIS_PARAM, "paragraphs")
    wanted = _write_url(f, basis)
    # Notes about a link stay up, on any page, until the user changes the filters.
    if seeded:
        state[_NOTES_FOR] = wanted
    notes = state.get(_NOTES, []) if state.get(_NOTES_FOR) == wanted else []
    return f, basis, notes


def _write_url(f: Filters, basis: str) -> dict[str, list[str]]:
    wanted = f.to_params()
    if basis != "paragraphs":
        wanted[BASIS_PARAM] = [basis]
    for param in PARAMS:
        if param in wanted:
            if st.query_params.get_all(param) != wanted[param]:
                st.query_params[param] = wanted[param]
        elif param in st.query_params:
            del st.query_params[param]
    st.session_state[_SYNCED] = wanted
    return wanted
