"""`python -m upr_data messages`: extract every interface string into the gettext catalogs.

Strings come from the code (`_()`, `ngettext()`, `N_()` in app.py, views/, ui/, upr_data/) and
from the vocabularies of tag codes (taxonomy labels). The English catalog is written complete
(msgstr = msgid); other languages' catalogs are updated, keeping their translations.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from . import i18n, taxonomy
from .settings import REPO_ROOT

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
FOLDERS = ("upr_data", "ui", "views")


def _add(catalog: Catalog, message, location: tuple[str, int]) -> None:
    existing = catalog.get(message[0] if isinstance(message, tuple) else message)
    if existing is not None:
        existing.locations.append(location)
    else:
        catalog.add(message, locations=[location])


def extract() -> Catalog:
    """A catalog of every message the interface can show (msgstr empty)."""
    catalog = Catalog(project="UPR Implementation Tracker", charset="utf-8")
    sources = [(REPO_ROOT, "app.py")] + [(REPO_ROOT / f, None) for f in FOLDERS]
    for folder, single in sources:
        found = extract_from_dir(
            folder,
            method_map=[(single or "**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=("Translators:",),
        )
        for filename, lineno, message, _comments, _context in found:
            path = str((Path(folder) / filename).relative_to(REPO_ROOT))
            _add(catalog, message, (path, lineno))
    for scheme, vocabulary in taxonomy.SCHEMES.items():
        for label in vocabulary.values():
            _add(catalog, label, (f"taxonomy:{scheme}", 0))
    return catalog


def write(catalog: Catalog) -> list[Path]:
    """Write the template, the complete English catalog, and update the others."""
    written = []
    template = i18n.LOCALE_DIR / "messages.pot"
    template.parent.mkdir(parents=True, exist_ok=True)
    with template.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, sort_output=True)
    written.append(template)
    # English last: filling its strings touches the message objects the template shares with
    # every catalog it updated, and another language must not get English as its translation.
    locales = sorted({i18n.DEFAULT_LOCALE, *i18n.available_locales()})
    for locale in sorted(locales, key=lambda code: code == i18n.DEFAULT_LOCALE):
        path = i18n.LOCALE_DIR / locale / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_file():
            with path.open("rb") as handle:
                translated = read_po(handle, locale=locale)
        else:
            translated = Catalog(locale=locale, charset="utf-8")
        translated.update(catalog, no_fuzzy_matching=True)
        if locale == i18n.DEFAULT_LOCALE:
            for message in translated:
                if message.id:
                    message.string = message.id
        with path.open("wb") as handle:
            write_po(handle, translated, sort_output=True, ignore_obsolete=True)
        written.append(path)
    return written
