"""One translation function for every piece of interface text, backed by gettext catalogs.

Catalogs live in `upr_data/locale/<lang>/LC_MESSAGES/messages.po`; English is complete. A Khmer
catalog (`km`) can be added with `pybabel init -l km` and no change to the pages. Messages use
named placeholders (`_("{n} recommendations", n=5)`) so translators can reorder them.
"""

from __future__ import annotations

import contextvars
import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
DEFAULT_LOCALE = "en"

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


def _(message: str, **values: object) -> str:
    """Translate `message`, then fill its named placeholders."""
    text = _translations(_locale.get()).gettext(message)
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
    """Plural-aware translation; `n` is also available to the message as `{n}`."""
    text = _translations(_locale.get()).ngettext(singular, plural, n)
    return text.format(n=n, **values)


def N_(message: str) -> str:
    """Marks a constant for extraction; it is translated where it is shown, with `_`."""
    return message
