"""Every interface string is in the English catalog, and another language needs no code change."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from upr_data import i18n, messages
from upr_data.filters import Filters


def test_english_catalog_is_complete_and_current():
    with (i18n.LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        english = read_po(handle, locale="en")
    wanted = {m.id for m in messages.extract() if m.id}
    present = {m.id for m in english if m.id and m.string}
    missing = wanted - present
    assert not missing, (
        f"run `python -m upr_data messages`; missing: {sorted(map(str, missing))[:5]}"
    )
    assert len(wanted) > 200


@pytest.fixture
def khmer(tmp_path, monkeypatch):
    """A tiny Khmer catalog in a temporary locale folder."""
    folder = tmp_path / "km" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalog = Catalog(locale="km")
    catalog.add("response", "ការឆ្លើយតប")
    catalog.add("Supported", "បានគាំទ្រ")
    catalog.add(
        ("{n} recommendation where {conditions}", "{n} recommendations where {conditions}"),
        ("អនុសាសន៍ {n} ដែល {conditions}",),
    )
    catalog.add("{field} is {values}", "{field} គឺ {values}")
    with (folder / "messages.po").open("wb") as handle:
        write_po(handle, catalog)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n._translations.cache_clear()
    i18n.set_locale("km")
    yield
    i18n.set_locale("en")
    i18n._translations.cache_clear()


def test_a_new_catalog_translates_without_code_changes(khmer):
    assert i18n.current_locale() == "km"
    text = Filters(responses=("supported",)).describe(3)
    assert text == "អនុសាសន៍ 3 ដែល ការឆ្លើយតប គឺ បានគាំទ្រ"
    assert i18n._("Noted") == "Noted"  # untranslated strings fall back to English


def test_unknown_locale_falls_back_to_english():
    i18n.set_locale("xx")
    assert i18n.current_locale() == "en"
    assert i18n.ngettext("{n} recommendation", "{n} recommendations", 2) == "2 recommendations"


def test_every_khmer_entry_is_translated_and_keeps_its_placeholders():
    """The Khmer catalog: every English message present, none empty, fuzzy or left in English,
    and each translation keeps the message's {placeholders} (so it formats without error)."""
    import re

    def ids(message) -> tuple[str, ...]:
        return message.id if isinstance(message.id, tuple) else (message.id,)

    def strings(message) -> tuple[str, ...]:
        return message.string if isinstance(message.string, tuple) else (message.string,)

    with (i18n.LOCALE_DIR / "km" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        khmer = {ids(m)[0]: m for m in read_po(handle, locale="km") if m.id}
    wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in messages.extract() if m.id}
    assert not wanted - khmer.keys(), sorted(wanted - khmer.keys())[:5]
    problems = []
    for key in wanted:
        message = khmer[key]
        placeholders = set(re.findall(r"\{(\w+)\}", " ".join(ids(message))))
        for text in strings(message):
            if not text or message.fuzzy:
                problems.append(f"untranslated: {key!r}")
            elif re.search(r"[A-Za-z]{3}", re.sub(r"\{\w+\}", "", key)) and not re.search(
                "[\u1780-\u17ff]", text
            ):
                problems.append(f"left in English: {key!r}")
            elif set(re.findall(r"\{(\w+)\}", text)) != placeholders:
                problems.append(f"placeholders differ: {key!r}")
    assert not problems, problems[:10]
