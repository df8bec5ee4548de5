"""One translation function for every piece of interface text, backed by gettext catalogs.

Catalogs live in `upr_data/locale/<lang>/LC_MESSAGES/messages.po`; English is complete. A Khmer
catalog (`km`) can be added with `pybabel init -l km` and no change to the pages. Messages use
named placeholders (`_("{n} recommendations", n=5)`) so translators can reorder them.

The locale is per thread of execution (a context variable): each Streamlit script run sets it
from `?lang=` before anything is drawn. Counts are written by Babel for the current locale
(`number`; `ngettext` fills `{n}` with it), so 1,234 reads as the locale writes it.
"""

from __future__ import annotations

import contextvars
import gettext
from datetime import date
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
DEFAULT_LOCALE = "en"
KHMER = "km"
# The name of each language in itself, for the language switch.
LANGUAGE_NAMES = {"en": "English", "km": "ខ្មែរ"}

_locale: contextvars.ContextVar[str] = contextvars.ContextVar("locale", default=DEFAULT_LOCALE)


def available_locales() -> list[str]:
    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


@lru_cache(maxsize=8)
def _translations(locale: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    compiled = BytesIO()
    write_mo(compiled, catalog)  # compiled in memory, so no binary .mo is kept in the repo
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def current_locale() -> str:
    return _locale.get()


def set_locale(locale: str) -> None:
    _locale.set(locale if locale in available_locales() else DEFAULT_LOCALE)


def is_khmer() -> bool:
    return _locale.get() == KHMER


def translate(message: str, locale: str) -> str:
    """`message` in `locale`, whatever the current locale is (placeholders left unfilled)."""
    return _translations(locale).gettext(message)


def number(value: float) -> str:
    """A number as the current locale writes it (Babel): 1,234 in English."""
    return format_decimal(value, locale=_locale.get())


def month(value: date) -> str:
    """A month as the current locale names it (Babel): "June 2014" in English."""
    return format_date(value, format="MMMM y", locale=_locale.get())


def day(value: date) -> str:
    """A day as the current locale writes it in full (Babel): "26 June 2014" in English."""
    return format_date(value, format="d MMMM y", locale=_locale.get())


def _(message: str, **values: object) -> str:
    """Translate `message`, then fill its named placeholders."""
    text = _translations(_locale.get()).gettext(message)
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
    """Plural-aware translation; `n` is also available to the message as `{n}`, written by
    `number` (so 1,234 in English)."""
    text = _translations(_locale.get()).ngettext(singular, plural, n)
    return text.format(n=number(n), **values)


def N_(message: str) -> str:
    """Marks a constant for extraction; it is translated where it is shown, with `_`."""
    return message
