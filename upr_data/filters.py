"""The one `Filters` value every view shares, validated from the URL and described in plain words.

URL values are checked against the vocabularies; anything unknown is dropped with a note (never
fatal), so a mistyped link still opens the default view and says why. SQL is built from a
`Filters` in `queries.py`, always with bound parameters.

Search text in Khmer script: the recommendations are official English texts, so a Khmer query
(any character in U+1780-U+17FF) is looked for in the Khmer labels of the themes and groups of
persons instead, and selects the recommendations tagged with any theme or group whose label holds
it (`label_matches`); the description names what it matched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

import pycountry
from babel.lists import format_list

from . import i18n, params, schema, taxonomy
from .countries import display_name
from .i18n import N_, _, ngettext

MAX_TEXT = 200
MAX_NOTES_PER_FIELD = 3  # unknown values named one by one; the rest are counted
EVIDENCE_CHOICES = {"with": N_("with evidence"), "without": N_("without evidence")}
EVIDENCE_PHRASES = {"with": N_("there is evidence"), "without": N_("there is no evidence")}
STATUS_CHOICES = {schema.NOT_ASSESSED: N_("Not assessed"), **schema.STATUSES}
CYCLE_CHOICES = range(1, 21)
KHMER_SCRIPT = re.compile(r"[\u1780-\u17ff]")


def is_khmer(text: str) -> bool:
    """Whether `text` holds Khmer script (then it is searched in the Khmer labels)."""
    return bool(KHMER_SCRIPT.search(text))


def _folded(text: str) -> str:
    """For comparing Khmer: NFC, without spaces (Khmer writes none between words, and a user
    may leave out the ones between phrases)."""
    return "".join(unicodedata.normalize("NFC", text).split())


@lru_cache(maxsize=256)
def label_matches(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(theme codes, group codes) whose Khmer label contains `text`; nothing for a text without
    Khmer script."""
    wanted = _folded(text)
    if not wanted or not is_khmer(text):
        return (), ()

    def found(labels: Mapping[str, str]) -> tuple[str, ...]:
        return tuple(
            code
            for code, label in labels.items()
            if wanted in _folded(i18n.translate(label, i18n.KHMER))
        )

    return found(taxonomy.THEMES), found(taxonomy.GROUPS)


def _is_iso3(code: str) -> bool:
    if not (len(code) == 3 and code.isascii() and code.isalpha()):
        return False
    try:
        return pycountry.countries.get(alpha_3=code) is not None
    except (KeyError, LookupError):
        return False


@dataclass(frozen=True)
class Facet:
    """One multi-value filter: its URL parameter, its allowed values and how to show a value."""

    attr: str
    param: str
    title: str
    choices: Mapping[str, str] | None  # code -> label, matched case-insensitively
    kind: str = "code"  # "code" (one of choices) | "int" (a cycle) | "iso3" (any ISO 3166 code)

    def clean(self, raw: str) -> str | int | None:
        value = raw.strip()
        if self.kind == "int":
            # ASCII digits only: "²" passes str.isdigit() but int() refuses it.
            number = params.number(value, 0, 0, 10**6)
            return number if value.isascii() and number in CYCLE_CHOICES else None
        if self.kind == "iso3":
            return value.upper() if _is_iso3(value.upper()) else None
        by_folded = {code.lower(): code for code in self.choices or {}}
        return by_folded.get(value.lower())

    def label(self, value: str | int) -> str:
        if self.kind == "int":
            return str(value)
        if self.kind == "iso3":
            return display_name(str(value))
        return _(self.choices[str(value)])


FACETS = (
    Facet("cycles", "cycle", N_("cycle"), None, "int"),
    Facet("themes", "theme", N_("theme"), taxonomy.THEMES),
    Facet("groups", "group", N_("group of persons"), taxonomy.GROUPS),
    Facet("actions", "action", N_("action category"), taxonomy.ACTION_CATEGORIES),
    Facet("responses", "response", N_("response"), schema.RESPONSES),
    Facet("statuses", "status", N_("status"), STATUS_CHOICES),
    Facet("roles", "role", N_("assessor role"), schema.ROLES),
    Facet("states", "state", N_("recommending State"), None, "iso3"),
    Facet("regions", "region", N_("regional group"), schema.REGIONAL_GROUPS),
)


@dataclass(frozen=True)
class Filters:
    cycles: tuple[int, ...] = ()
    themes: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    responses: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    text: str = ""
    evidence: str = ""  # "" (any), "with" or "without"
    sur: str = ""  # State under review, ISO 3166 alpha-3; "" when the store holds only one
    notes: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def from_params(cls, values_of: Mapping[str, str | Iterable[str]]) -> Filters:
        """Validated filters from URL-style values; unknown values are dropped and noted (at
        most `params.MAX_VALUES` values of a parameter are looked at). Never raises."""
        values: dict[str, object] = {}
        notes: list[str] = []
        for facet in FACETS:
            kept: list[str | int] = []
            unknown: list[str] = []
            for raw in _as_list(values_of.get(facet.param))[: params.MAX_VALUES]:
                if not raw.strip():
                    continue
                cleaned = facet.clean(raw)
                if cleaned is None:
                    unknown.append(raw)
                elif cleaned not in kept:
                    kept.append(cleaned)
            for raw in unknown[:MAX_NOTES_PER_FIELD]:
                notes.append(
                    _(
                        "Ignored {field} “{value}”: not a known value.",
                        field=_(facet.title),
                        value=raw[:40],
                    )
                )
            if len(unknown) > MAX_NOTES_PER_FIELD:
                notes.append(
                    ngettext(
                        "Ignored {count} more unknown value of {field}.",
                        "Ignored {count} more unknown values of {field}.",
                        len(unknown) - MAX_NOTES_PER_FIELD,
                        count=len(unknown) - MAX_NOTES_PER_FIELD,
                        field=_(facet.title),
                    )
                )
            values[facet.attr] = tuple(sorted(kept, key=str))
        text = " ".join(" ".join(_raw_list(values_of.get("q"))).split())
        if len(text) > MAX_TEXT:
            notes.append(_("Search text shortened to {n} characters.", n=MAX_TEXT))
            text = text[:MAX_TEXT]
        evidence = "".join(_raw_list(values_of.get("evidence"))).strip().lower()
        if evidence and evidence not in EVIDENCE_CHOICES:
            notes.append(_("Ignored evidence “{value}”: use with or without.", value=evidence[:40]))
            evidence = ""
        sur = "".join(_raw_list(values_of.get("sur"))).strip().upper()
        if sur and not _is_iso3(sur):
            notes.append(
                _("Ignored State under review “{value}”: not a known code.", value=sur[:40])
            )
            sur = ""
        return cls(**values, text=text, evidence=evidence, sur=sur, notes=tuple(notes))  # type: ignore[arg-type]

    def to_params(self) -> dict[str, list[str]]:
        """The filters as URL parameters (only the ones that are set)."""
        out = {f.param: [str(v) for v in getattr(self, f.attr)] for f in FACETS}
        out["q"] = [self.text] if self.text else []
        out["evidence"] = [self.evidence] if self.evidence else []
        out["sur"] = [self.sur] if self.sur else []
        return {k: v for k, v in out.items() if v}

    def with_(self, **changes: object) -> Filters:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def is_empty(self) -> bool:
        """No filter set (the State under review is a choice of data, not a filter)."""
        return not (self.to_params().keys() - {"sur"})

    def conditions(self) -> list[str]:
        """Each active filter as a phrase: 'theme is Land and housing or Women'."""
        phrases = []
        locale = _locale()
        for facet in FACETS:
            chosen = getattr(self, facet.attr)
            if chosen:
                labels = format_list([facet.label(v) for v in chosen], style="or", locale=locale)
                phrases.append(_("{field} is {values}", field=_(facet.title), values=labels))
        if self.evidence:
            phrases.append(_(EVIDENCE_PHRASES[self.evidence]))
        if self.text and is_khmer(self.text):
            phrases.append(self._label_phrase(locale))
        elif self.text:
            phrases.append(_("text contains “{text}”", text=self.text))
        return phrases

    def _label_phrase(self, locale: str) -> str:
        """What a Khmer search matched: 'text “ដីធ្លី” matched the theme “Land, …”'."""
        themes, groups = label_matches(self.text)
        if not (themes or groups):
            return _("text “{text}” matched no theme or group of persons", text=self.text)

        def quoted(codes: tuple[str, ...], labels: Mapping[str, str]) -> str:
            return format_list([f"“{_(labels[c])}”" for c in codes], style="or", locale=locale)

        matched = []
        if themes:
            matched.append(
                ngettext(
                    "the theme {labels}",
                    "the themes {labels}",
                    len(themes),
                    labels=quoted(themes, taxonomy.THEMES),
                )
            )
        if groups:
            matched.append(
                ngettext(
                    "the group of persons {labels}",
                    "the groups of persons {labels}",
                    len(groups),
                    labels=quoted(groups, taxonomy.GROUPS),
                )
            )
        return _(
            "text “{text}” matched {matches}",
            text=self.text,
            matches=format_list(matched, style="or", locale=locale),
        )

    def describe(self, n: int, basis: str = "paragraphs") -> str:
        """'198 recommendations where theme is Land and housing and response is Supported';
        with a State under review chosen, '6 recommendations to Slovenia where ...'."""
        conditions = self.conditions()
        joined = format_list(conditions, locale=_locale()) if conditions else ""
        if self.sur:
            return self._describe_to(n, basis, joined)
        if basis == "states":
            if not conditions:
                return ngettext(
                    "{n} recommendation by a recommending State, all shown",
                    "{n} recommendations by recommending States, all shown",
                    n,
                )
            return ngettext(
                "{n} recommendation by a recommending State where {conditions}",
                "{n} recommendations by recommending States where {conditions}",
                n,
                conditions=joined,
            )
        if not conditions:
            return ngettext("{n} recommendation, all shown", "{n} recommendations, all shown", n)
        return ngettext(
            "{n} recommendation where {conditions}",
            "{n} recommendations where {conditions}",
            n,
            conditions=joined,
        )

    def _describe_to(self, n: int, basis: str, joined: str) -> str:
        state = display_name(self.sur)
        if basis == "states":
            if not joined:
                return ngettext(
                    "{n} recommendation by a recommending State to {state}, all shown",
                    "{n} recommendations by recommending States to {state}, all shown",
                    n,
                    state=state,
                )
            return ngettext(
                "{n} recommendation by a recommending State to {state} where {conditions}",
                "{n} recommendations by recommending States to {state} where {conditions}",
                n,
                state=state,
                conditions=joined,
            )
        if not joined:
            return ngettext(
                "{n} recommendation to {state}, all shown",
                "{n} recommendations to {state}, all shown",
                n,
                state=state,
            )
        return ngettext(
            "{n} recommendation to {state} where {conditions}",
            "{n} recommendations to {state} where {conditions}",
            n,
            state=state,
            conditions=joined,
        )


def _raw_list(value: str | Iterable[str] | None) -> list[str]:
    """At most `params.MAX_VALUES` values, each cleaned and cut (see params.clean_value)."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)[: params.MAX_VALUES]
    return [params.clean_value(item) for item in items]


def _as_list(value: str | Iterable[str] | None) -> list[str]:
    """Repeated parameters, and comma-separated ones in a hand-written link, count as several."""
    return [part for item in _raw_list(value) for part in item.split(",")]


def _locale() -> str:
    return i18n.current_locale()
