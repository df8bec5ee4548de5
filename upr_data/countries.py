"""State names, as UN documents and other sources spell them, resolved to ISO 3166 alpha-3.

pycountry's exact lookup (name, official name, common name, codes) does most of the work; the
alias table covers the UN's and UPR Info's own spellings. There is no fuzzy matching: a guess
such as "Republic of Korea" -> North Korea is worse than a clear error.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pycountry
from babel import Locale

from .i18n import DEFAULT_LOCALE, _, current_locale

# Spellings seen in UN documents and the UPR Info database that pycountry does not resolve.
ALIASES = {
    "bolivia": "BOL",
    "brunei": "BRN",
    "cape verde": "CPV",
    "cote d'ivoire": "CIV",
    "czechia": "CZE",
    "democratic people's republic of korea": "PRK",
    "democratic republic of congo": "COD",
    "democratic republic of the congo": "COD",
    "dpr korea": "PRK",
    "guinea bissau": "GNB",
    "holy see": "VAT",
    "iran": "IRN",
    "iran (islamic republic of)": "IRN",
    "laos": "LAO",
    "macedonia fyr": "MKD",
    "the former yugoslav republic of macedonia": "MKD",
    "micronesia": "FSM",
    "micronesia (federated states of)": "FSM",
    "moldova": "MDA",
    "palestine": "PSE",
    "state of palestine": "PSE",
    "republic of congo": "COG",
    "republic of korea": "KOR",
    "south korea": "KOR",
    "north korea": "PRK",
    "russia": "RUS",
    "st kitts and nevis": "KNA",
    "st lucia": "LCA",
    "st vincent and the grenadines": "VCT",
    "swaziland": "SWZ",
    "syria": "SYR",
    "tanzania": "TZA",
    "turkey": "TUR",
    "turkiye": "TUR",
    "united kingdom": "GBR",
    "united states": "USA",
    "venezuela": "VEN",
    "venezuela (bolivarian republic of)": "VEN",
    "bolivia (plurinational state of)": "BOL",
    "vietnam": "VNM",
}


class UnknownState(ValueError):
    """A State name that neither pycountry nor the alias table knows."""


def _normalise(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("&", "and")
    return re.sub(r"\s+", " ", text).strip().lower()


@lru_cache(maxsize=4096)
def to_iso3(name: str) -> str:
    """ISO 3166 alpha-3 code of a State name; raises UnknownState if it cannot be resolved."""
    key = _normalise(name)
    if not key:
        raise UnknownState(_("empty State name"))
    if key in ALIASES:
        return ALIASES[key]
    try:
        return pycountry.countries.lookup(key).alpha_3
    except LookupError:
        raise UnknownState(_("unknown State name {name}", name=repr(name))) from None


def display_name(iso3: str) -> str:
    """A short name for a code in the current locale: Babel's territory name when the locale is
    not English and Babel has one, else pycountry's English common name (or its name)."""
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return iso3
    locale = current_locale()
    if locale != DEFAULT_LOCALE:
        localised = _territory_names(locale).get(country.alpha_2)
        if localised:
            return localised
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=8)
def _territory_names(locale: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(locale).territories)
    except (ValueError, LookupError):
        return {}


def numeric_code(iso3: str) -> str | None:
    country = pycountry.countries.get(alpha_3=iso3)
    return country.numeric if country else None
