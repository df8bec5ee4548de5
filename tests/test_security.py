"""Hostile input, class by class (issue 12): who may write, text shown as text, links, URL
parameters, spreadsheets that would take the server down, errors that name file, row and column,
and CSV exports that stay text in any spreadsheet. The browser side of sign-in is in
tests/e2e/test_sign_in.py."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from tests import layouts
from tests.test_pages import open_page
from ui import safe
from upr_data import params, progress, progress_import, store
from upr_data.access import Access, Identity, NotAllowed, Writer
from upr_data.filters import Filters
from upr_data.ingest import workbook
from upr_data.problems import InputError

ISSUER = "https://idp.example.org"
ENTRA = "https://entra.example/v2.0"
ACCESS = Access.from_secrets(
    {"access": {"editors": ["editor@example.org"], "verified_email_issuers": [ENTRA]}}
)
EDITOR = Writer("editor@example.org", "editor")


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


# == 1. Write access only for a verified identity =================================================


@pytest.mark.parametrize(
    ("claims", "access"),
    [
        ({"email": "editor@example.org", "email_verified": True, "sub": "1", "iss": ISSUER},
         "editor"),
        ({"email": "Editor@Example.org", "email_verified": "true", "sub": "1", "iss": ISSUER},
         "editor"),  # some providers send the flag as a string
        # another account claiming the editor's address, unverified
        ({"email": "editor@example.org", "email_verified": False, "sub": "2", "iss": ISSUER},
         "viewer"),
        ({"email": "editor@example.org", "email_verified": "false", "sub": "2", "iss": ISSUER},
         "viewer"),
        ({"email": "editor@example.org", "email_verified": None, "sub": "2", "iss": ISSUER},
         "viewer"),
        # no flag at all, from a provider nobody said asserts it
        ({"email": "editor@example.org", "sub": "2", "iss": ISSUER}, "viewer"),
        # no e-mail; the subject is the editor's address
        ({"sub": "editor@example.org", "iss": ISSUER}, "viewer"),
        ({"sub": "editor@example.org", "email_verified": True, "iss": ISSUER}, "viewer"),
        ({"email": "", "sub": "editor@example.org", "email_verified": True, "iss": ISSUER},
         "viewer"),
        ({"email": ["editor@example.org"], "email_verified": True, "sub": "3", "iss": ISSUER},
         "viewer"),  # not a string
        ({"email": "editor@example.org\x00", "email_verified": True, "sub": "3", "iss": ISSUER},
         "viewer"),
        # an issuer the administrator listed as asserting verified addresses
        ({"email": "editor@example.org", "sub": "4", "iss": "https://entra.example/v2.0"},
         "editor"),
        ({"email": "editor@example.org", "sub": "4", "iss": "https://entra.example/v2.0/"},
         "editor"),
        # ... unless its token says the address is not verified
        ({"email": "editor@example.org", "email_verified": False, "sub": "4",
          "iss": "https://entra.example/v2.0"}, "viewer"),
        ({}, "viewer"),
        (None, "viewer"),
    ],
)  # fmt: skip
def test_write_access_needs_an_e_mail_the_provider_verified(claims, access):
    writer = Writer.from_claims(claims, ACCESS)
    assert writer.access == access
    if access == "viewer":
        with pytest.raises(NotAllowed):
            progress.require_writer(writer)


def test_an_unverified_claim_of_an_editors_address_is_told_why(tiny: Path):
    claims = {"email": "editor@example.org", "email_verified": False, "sub": "attacker",
              "iss": ISSUER}  # fmt: skip
    writer = Writer.from_claims(claims, ACCESS)
    assert writer.unverified and writer.access == "viewer"
    before = fingerprint(tiny)
    with pytest.raises(NotAllowed):
        progress.add_assessment(tiny, _assessment(), writer)
    assert fingerprint(tiny) == before


def _assessment(**changes) -> dict:
    return {
        "rec_id": "KHM-1-10.1",
        "status": "not_implemented",
        "assessor_role": "civil_society",
        "assessor_org": "SYNTHETIC org",
        "date": "2024-01-02",
        "rationale": "SYNTHETIC why",
        **changes,
    }


def test_the_audit_records_the_providers_subject_and_issuer(tiny: Path):
    claims = {"email": "editor@example.org", "email_verified": True,
              "sub": "00u1abc", "iss": ISSUER}  # fmt: skip
    writer = Writer.from_claims(claims, ACCESS)
    assert writer.shown == "editor@example.org"
    progress.add_assessment(tiny, _assessment(), writer)
    audit = store.read_table(tiny, "audit").to_pylist()[-1]
    expected = f"editor@example.org (sub 00u1abc, iss {ISSUER})"
    assert audit["who"] == expected and audit["access"] == "editor"
    assert store.read_table(tiny, "assessments").to_pylist()[-1]["entered_by"] == expected


def test_claims_cannot_forge_the_record():
    identity = Identity.from_claims(
        {"email": "editor@example.org", "email_verified": True,
         "sub": "x\n(sub forged, iss forged)" + "y" * 1000, "iss": ISSUER}, ACCESS,
    )  # fmt: skip
    assert "\n" not in identity.record() and len(identity.subject) <= 255


# == 2. Text that did not come from our code is shown as text ======================================

HOSTILE_TEXTS = [
    "[Session expired: sign in again](http://evil.example/login)",
    "![x](http://evil.example/x.png)",
    "<img src=http://evil.example/x.png onerror=alert(1)>",
    "<script>alert(1)</script>",
    "**bold** _it_ `code` ~~strike~~",
    ":red[coloured] :material/warning: $x^2$",
    "www.evil.example and http://evil.example/ and editor@evil.example",
    "# heading\n- item\n1. item\n    code\n> quote",
    "a\\](http://evil.example) \\![x](http://evil.example/x.png)",
    "[x]: http://evil.example\n[x]",
    "&lt;img src=x&gt; &#91;x&#93;(http://evil.example)",
]


def unescaped(markdown: str) -> str:
    """The characters of a Markdown source that are not backslash-escaped."""
    return re.sub(r"\\.", "", markdown)


def read_back(markdown: str) -> str:
    """What a Markdown source made by ui.safe displays: escapes read, word joiners dropped."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


# What GitHub-flavoured Markdown turns into a link in plain text (mdast-util-gfm-autolink-literal)
AUTOLINK = re.compile(r"(?i)https?://|www\.|[-.\w+]@[-\w]")


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_plain_text_escapes_every_markdown_and_html_character(text):
    for rendered in (safe.md(text), safe.text_block(text)):
        for line in rendered.split("\n"):
            bare = unescaped(line)
            assert not set(bare) & set(safe.MARKDOWN_SPECIAL), (text, rendered)
            assert not re.match(r"\s*([-+=]|[0-9]+[.)])", bare), (text, rendered)
        assert not AUTOLINK.search(rendered.replace("\\", ""))
        # read back, it is the text as typed (line breaks aside)
        assert read_back(rendered).split() == text.split()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a/b?c=1&d=2#e", "https://example.org/a/b?c=1&d=2#e"),
        ("HTTP://Example.ORG", "http://example.org/"),
        ("https://example.org/a b", None),  # spaces: not a link as typed
        ("https://example.org/x)![y](http://evil.example/y.png",
         "https://example.org/x%29!%5By%5D%28http://evil.example/y.png"),
        ("https://example.org/<script>", "https://example.org/%3Cscript%3E"),
        ("https://bücher.example/ä", "https://xn--bcher-kva.example/%C3%A4"),
        ("https://[::1]:8080/", "https://[::1]:8080/"),
        ("javascript:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("ftp://example.org/x", None),
        ("https:///evil.example", None),
        ("http:evil.example", None),
        ("//evil.example/x", None),
        ("https://user:pass@evil.example/", None),
        ("https://good.example@evil.example/", None),
        ("https://example.org:99999/", None),
        ("https://exa mple.org/", None),
        ("https://example.org/\u202eexe.pdf", None),
        ("https://" + "a" * 64 + ".example/", None),
        ("https://example.org/" + "a" * 3000, None),
        ("", None),
        (None, None),
    ],
)  # fmt: skip
def test_a_link_address_is_parsed_and_rebuilt_or_refused(url, expected):
    assert safe.safe_url(url) == expected


def test_a_link_is_built_only_from_a_rebuilt_address():
    assert safe.link("Report (2024)", "https://example.org/r") == (
        r"[Report \(2024\)](https://example.org/r)"
    )
    hostile = safe.link("t](http://evil.example) ![", "https://example.org/x)![y](http://e/y.png")
    assert re.fullmatch(r"\[[^\[\]]*\]\(https://example\.org/[^()\s<>]*\)", unescaped(hostile))
    refused = safe.link("Title", "javascript:alert(1)")
    assert "](" not in refused and "not a valid http or https address" in refused


def test_html_inside_our_own_html_is_escaped_on_one_line():
    assert safe.html_text("<b>x</b>\n\n![i](http://e/x.png)") == (
        "&lt;b&gt;x&lt;/b&gt; ![i](http://e/x.png)"
    )


def texts(at: AppTest) -> list[str]:
    """The Markdown source of every element that renders Markdown."""
    found = []
    for kind in ("markdown", "caption", "warning", "info", "error", "success", "header"):
        found += [element.value for element in at.get(kind)]
    return found


def assert_no_markup(sources: list[str], allowed_links: tuple[str, ...] = ()) -> None:
    """No image, HTML or autolink in any source, and links only to addresses ui.safe rebuilt."""
    for source in sources:
        bare = unescaped(source)
        for address in re.findall(r"\]\(([^)]*)\)", bare):
            assert address in allowed_links, (address, source)
        text = re.sub(r"\]\([^)]*\)", "]", bare)  # what is left outside link addresses
        assert "![" not in text and "<" not in text, source  # images, HTML
        as_read = re.sub(r"(?<!\\)\]\([^)]*\)", "]", source).replace("\\", "")
        assert not AUTOLINK.search(as_read), source  # addresses GFM would link by itself


@pytest.mark.parametrize(
    "query",
    [
        {"q": "[Session expired: sign in again](http://evil.example/login)"},
        {"q": "![x](http://evil.example/x.png)"},
        {"theme": "![x](http://evil.example/x.png)"},
        {"theme": ["<img src=http://evil.example/x.png>", "[a](http://evil.example)"]},
        {"rec": "[a](http://evil.example)"},
        {"rec": "KHM-9-![x](http://evil.example/x.png)"},
        {"basis": "![x](http://evil.example/x.png)"},
        {"sur": "![x](http://evil.example/x.png)"},
    ],
)
def test_values_in_a_shared_link_are_shown_as_text(fresh_caches, query):
    at = open_page("explore", **query)
    sources = texts(at)
    assert_no_markup(sources)
    shown = " ".join(read_back(s) for s in sources)
    value = query.get("q") or query.get("theme") or query.get("basis") or query.get("sur")
    if value:  # the value is visible as typed (or cut), in the header or the one warning box
        first = value[0] if isinstance(value, list) else value
        assert first[:40].lower() in shown.lower()


@pytest.fixture
def hostile_store(bundled_copy, monkeypatch, fresh_caches):
    """The bundled store plus SYNTHETIC hostile entries that passed the old checks."""
    writer = Writer("editor@example.org", "editor")
    progress.add_assessment(bundled_copy, _assessment(
        rec_id="KHM-2-118.1", rationale="SYNTHETIC ![x](http://evil.example/a.png) <img src=x>",
        assessor_org="[org](http://evil.example)",
        evidence_url="https://example.org/ok)![y](http://evil.example/b.png"), writer)  # fmt: skip
    progress.add_evidence(bundled_copy, {
        "date": "2023-05", "rec_ids": "KHM-2-118.1", "role": "civil_society",
        "actor": "SYNTHETIC <b>actor</b>", "action_type": "advocacy", "direction": "progress",
        "summary": "SYNTHETIC ![x](http://evil.example/c.png)",
        "source_title": "t](http://evil.example) ![", "source_url":
        "https://example.org/x)![y](http://evil.example/d.png", "source_kind": "media",
        "publisher": "SYNTHETIC [pub](http://evil.example/f) <i>x</i>",
        "link_reason": "SYNTHETIC ![why](http://evil.example/g.png) **bold**"}, writer)  # fmt: skip
    progress.curate_tags(bundled_copy, "KHM-2-118.1", "theme", ["women"], writer,
                         "SYNTHETIC ![x](http://evil.example/e.png)")  # fmt: skip
    monkeypatch.setenv("UPR_LAKE", str(bundled_copy))
    return bundled_copy


def test_stored_fields_are_shown_as_text_with_rebuilt_links(hostile_store):
    at = open_page("explore", rec="KHM-2-118.1")
    sources = texts(at)
    allowed = (
        safe.safe_url("https://example.org/ok)![y](http://evil.example/b.png"),
        safe.safe_url("https://example.org/x)![y](http://evil.example/d.png"),
    )
    assert_no_markup(sources, allowed)
    shown = " ".join(read_back(s) for s in sources)
    for visible in (
        "SYNTHETIC ![x](http://evil.example/a.png) <img src=x>",
        "SYNTHETIC ![x](http://evil.example/c.png)",
        "SYNTHETIC ![x](http://evil.example/e.png)",
        "t](http://evil.example) ![",
        "SYNTHETIC [pub](http://evil.example/f) <i>x</i> (Media)",
        "SYNTHETIC ![why](http://evil.example/g.png) **bold**",
    ):
        assert visible in shown  # fmt: skip
    linked = [s for s in sources if "](" in unescaped(s)]
    assert len(linked) == 2  # the assessment's evidence and the evidence's source
    # the classifier's provenance is a caption, no longer a literal <small> tag
    assert not any("<small>" in s for s in sources)
    assert any(unescaped(c.value).startswith("From the tracker's classifier") for c in at.caption)


def test_the_signed_in_address_is_shown_as_text():
    writer = Writer.from_claims({"email": "[x](http://evil.example)@evil.example",
                                 "email_verified": False, "sub": "s",
                                 "iss": ISSUER}, ACCESS)  # fmt: skip
    assert_no_markup([safe.md(f"Signed in as {writer.shown}")])


# == 5. URL parameters: one reader that cannot raise; one box of warnings ==========================


@pytest.mark.parametrize("value", ["²", "١", "2²", "9" * 5000, "-1", "0x2", " 2 ", "\x00", ""])
def test_a_cycle_that_is_not_an_ascii_number_is_dropped_not_fatal(value):
    f = Filters.from_params({"cycle": value})
    assert f.cycles == ((2,) if value.strip() == "2" else ())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3", 3), ("²", 1), ("١٢", 1), ("9" * 5000, 1), ("-2", 1), ("99", 6), ("0", 1), ("", 1)],
)
def test_a_number_from_a_link_is_ascii_and_in_range(raw, expected):
    assert params.number(raw, 1, 1, 6) == expected


def test_reading_parameters_caps_values_and_lengths_and_never_raises():
    class Hostile:
        def keys(self):
            return ["theme", "q", "boom"]

        def get_all(self, key):
            if key == "boom":
                raise RuntimeError("a parser error")
            return ["x" * 10_000] if key == "q" else [f"v{i}" for i in range(3000)]

    read = params.read(Hostile())
    assert len(read.all("theme")) == params.MAX_VALUES
    assert len(read.first("q")) == params.MAX_CHARS
    assert read.all("boom") == [] and len(read.notes) == 1
    assert params.read(None).values == {}


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("overview", {"cycle": "²"}),
        ("explore", {"cycle": ["²", "2"]}),
        ("present", {"slide": "²"}),
        ("present", {"slide": "9" * 5000, "by": "![x](http://evil.example)"}),
        ("overview", {"lang": "x" * 10_000}),
        ("explore", {"rec": "x" * 10_000}),
        ("states", {"state": "\u0000DEU"}),
    ],
)
def test_odd_link_values_never_break_a_page(fresh_caches, page, query):
    at = open_page(page, **query)
    assert len(at.warning) <= 1


def test_present_treats_a_non_ascii_slide_number_as_the_first(fresh_caches):
    at = open_page("present", slide="²")
    assert any("Slide 1 of" in m.value for m in at.markdown)
    assert at.query_params.get("slide") in ("1", ["1"])


@pytest.mark.parametrize(
    "values",
    [
        ",".join(f"nonsense{i}" for i in range(3000)),  # one parameter, comma-separated
        [f"nonsense{i}" for i in range(999)],  # repeated (Streamlit drops links of over 1000)
    ],
    ids=["comma-separated", "repeated"],
)
def test_thousands_of_values_make_one_short_warning(fresh_caches, values):
    started = time.monotonic()
    at = open_page("explore", theme=values)
    assert len(at.warning) == 1
    lines = at.warning[0].value.split("\n")
    assert len(lines) <= 6
    shown = read_back(at.warning[0].value)
    assert "nonsense0" in shown and "more" in shown
    assert time.monotonic() - started < 30


# == 5. Length limits on every free-text field ====================================================


@pytest.mark.parametrize(
    ("field", "limit"),
    [("rationale", 5_000), ("assessor_org", 300), ("source", 300), ("source_location", 300),
     ("evidence_url", 2_000), ("rec_id", 60), ("supersedes", 60)],
)  # fmt: skip
def test_assessment_fields_have_length_limits(tiny: Path, field, limit):
    value = ("https://example.org/" + "a" * limit) if field == "evidence_url" else "A" * (limit + 1)
    before = fingerprint(tiny)
    with pytest.raises(InputError) as error:
        progress.add_assessment(tiny, _assessment(**{field: value}), EDITOR)
    assert f"form, column '{field}': is {len(value):,} characters long; the limit is {limit:,}" in (
        str(error.value)
    )
    assert fingerprint(tiny) == before


def test_a_five_megabyte_rationale_is_refused_at_once(tiny: Path):
    started = time.monotonic()
    with pytest.raises(InputError, match="column 'rationale': is 5,000,000 characters long"):
        progress.add_assessment(tiny, _assessment(rationale="x" * 5_000_000), EDITOR)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("field", "limit"),
    [("summary", 5_000), ("actor", 300), ("source_title", 300), ("date_note", 300),
     ("publisher", 300), ("link_reason", 300)],
)  # fmt: skip
def test_evidence_fields_have_length_limits(tiny: Path, field, limit):
    data = {"date": "2023", "rec_ids": "KHM-1-10.1", "role": "government", "actor": "a",
            "action_type": "policy", "direction": "progress", "summary": "s",
            "source_title": "t", "source_url": "https://example.org", "source_kind": "un",
            field: "x" * (limit + 1)}  # fmt: skip
    with pytest.raises(InputError, match=f"column '{field}': is {limit + 1:,} characters long"):
        progress.add_evidence(tiny, data, EDITOR)


def test_evidence_names_at_most_fifty_recommendations(tiny: Path):
    data = {"date": "2023", "rec_ids": ";".join(f"KHM-1-10.{i}" for i in range(1, 60)),
            "role": "government", "actor": "a", "action_type": "policy",
            "direction": "progress", "summary": "s", "source_title": "t",
            "source_url": "https://example.org", "source_kind": "un"}  # fmt: skip
    with pytest.raises(InputError, match="column 'rec_ids': names 59 recommendations; the limit"):
        progress.add_evidence(tiny, data, EDITOR)


def test_a_curators_reason_has_a_length_limit(tiny: Path):
    with pytest.raises(InputError, match="column 'reason': is 1,001 characters long"):
        progress.curate_tags(tiny, "KHM-1-10.1", "theme", ["women"], EDITOR, "x" * 1001)


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\x85"])
def test_control_characters_are_refused_with_row_and_column(tiny: Path, char):
    with pytest.raises(InputError, match=f"column 'rationale': contains a control character "
                                         f"\\(U\\+{ord(char):04X}\\) at character 3"):  # fmt: skip
        progress.add_assessment(tiny, _assessment(rationale=f"wh{char}y"), EDITOR)


def test_line_breaks_and_tabs_inside_a_text_are_kept(tiny: Path):
    progress.add_assessment(tiny, _assessment(rationale="first line\nsecond\tline"), EDITOR)
    assert store.read_table(tiny, "assessments").to_pylist()[-1]["rationale"] == (
        "first line\nsecond\tline"
    )


# == 4. Spreadsheets bounded before parsing (the progress importer) ================================

HEADER = ["rec_id", "status", "assessor_role", "assessor_org", "date", "rationale",
          "evidence_url", "source", "source_location", "supersedes"]  # fmt: skip
GOOD = ["KHM-1-10.1", "not_implemented", "civil_society", "SYNTHETIC org", "2024-01-02",
        "SYNTHETIC why", "", "", "", ""]  # fmt: skip


def xlsx(rows: list[list], *, hidden_first: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    if hidden_first:  # a hidden sheet of notes before the one with the rows
        sheet.title = "notes"
        sheet.append(["SYNTHETIC notes"])
        sheet.sheet_state = "hidden"
        sheet = book.create_sheet("assessments")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, part: str, change, add: dict | None = None) -> bytes:
    """The workbook with one part's XML changed (and parts added), zipped again."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info.filename, change(body) if info.filename == part else body)
        for name, body in (add or {}).items():
            target.writestr(name, body)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
HOSTILE_WORKBOOKS = {
    "far cell": (
        lambda: rewrite(xlsx([HEADER, GOOD]), SHEET, lambda x: x.replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t>'
                             b"</is></c></row></sheetData>")),
        "declares or uses a cell at column 16384, row 1048576: beyond the limits",
    ),
    "declared dimension": (
        lambda: rewrite(xlsx([HEADER, GOOD]), SHEET, lambda x: x.replace(
            b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')),
        "declares or uses a cell at column 16384, row 1048576",
    ),
    "compressed shared strings": (
        lambda: rewrite(xlsx([HEADER, GOOD]), SHEET, lambda x: x, {
            "xl/sharedStrings.xml": b'<sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><si><t>' + b"a" * 120_000_000 + b"</t></si></sst>"}),
        "the workbook unpacks to 120 MB; the limit is 100 MB",
    ),
    "highly compressed part": (
        lambda: rewrite(xlsx([HEADER, GOOD]), SHEET, lambda x: x, {
            "xl/sharedStrings.xml": b"<sst>" + b"a" * 50_000_000 + b"</sst>"}),
        "times its size: refused as a decompression bomb",
    ),
    "rows without references": (
        lambda: rewrite(xlsx([HEADER, GOOD]), SHEET, lambda x: x.replace(
            b"</sheetData>", b"".join(b"<row><c><v>%d</v></c></row>" % i
                                      for i in range(30_000)) + b"</sheetData>")),
        "beyond the limits",
    ),
    "a long row without references": (
        lambda: rewrite(xlsx([HEADER, GOOD]), SHEET, lambda x: x.replace(
            b"</sheetData>", b"<row>" + b"".join(b"<c><v>%d</v></c>" % i for i in range(300))
                             + b"</row></sheetData>")),
        "beyond the limits (200 columns",
    ),
    "document type declaration": (
        lambda: rewrite(xlsx([HEADER, GOOD]), SHEET, lambda x: (
            b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + x)),
        "declares a document type",
    ),
    "not a zip": (lambda: b"PK\x03\x04 not really", "not a valid spreadsheet"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(HOSTILE_WORKBOOKS))
def test_a_hostile_workbook_is_refused_quickly_with_the_file_named(tiny: Path, case):
    make, expected = HOSTILE_WORKBOOKS[case]
    data = make()
    assert len(data) < progress_import.MAX_BYTES
    before = fingerprint(tiny)
    started = time.monotonic()
    with pytest.raises(InputError) as error:
        progress_import.import_progress(tiny, "hostile.xlsx", data, EDITOR)
    assert time.monotonic() - started < 10
    messages = [str(p) for p in error.value.problems]
    assert any(m.startswith("hostile.xlsx") and expected in m for m in messages), messages
    assert fingerprint(tiny) == before


def test_the_upload_bounds_refuse_a_repeated_opendocument_table(tmp_path: Path):
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        '<office:spreadsheet><table:table table:name="S"><table:table-row>'
        '<table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell>'
        '</table:table-row><table:table-row table:number-rows-repeated="90000">'
        '<table:table-cell table:number-columns-repeated="1000" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell></table:table-row>"
        '<table:table-row table:number-rows-repeated="1048000">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    path = tmp_path / "repeated.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    with pytest.raises(workbook.UnreadableFile, match="column 1000, row 90001: beyond"):
        workbook.check_zip(path, workbook.UPLOAD_LIMITS)
    # the same layout at its real size passes: trailing empty rows and cells do not count
    small = content.replace("90000", "3")
    path.unlink()
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", small)
    workbook.check_zip(path, workbook.UPLOAD_LIMITS)


def test_real_layouts_pass_the_upload_bounds(tmp_path: Path):
    rows = layouts.synthetic_rows("Slovenia", 34.0)
    for path in (layouts.write_ods(tmp_path / "x.ods", rows),):
        workbook.check_zip(path, workbook.UPLOAD_LIMITS)
    data = xlsx([HEADER] + [GOOD] * 2_000)
    (tmp_path / "t.xlsx").write_bytes(data)
    workbook.check_zip(tmp_path / "t.xlsx", progress_import.LIMITS)


def test_detection_runs_once_per_upload_not_per_rerun(tmp_path: Path, monkeypatch):
    from ui import data_forms

    calls = []
    real = data_forms.ingest.detect_kind
    monkeypatch.setattr(data_forms.ingest, "detect_kind", lambda p: calls.append(p) or real(p))
    state: dict = {}
    monkeypatch.setattr(data_forms.st, "session_state", state)
    path = tmp_path / "a.csv"
    path.write_text(",".join(HEADER) + "\n" + ",".join(GOOD) + "\n")
    for _rerun in range(3):
        assert data_forms._kind_of(path) == "progress"
    assert len(calls) == 1
    other = tmp_path / "b.csv"
    other.write_text("a,b\n1,2\n")
    assert isinstance(data_forms._kind_of(other), InputError)
    assert len(calls) == 2


# == 7. Every error a user can cause names the file, row and column ================================


def problems_of(tiny: Path, name: str, data: bytes) -> list[str]:
    before = fingerprint(tiny)
    with pytest.raises(InputError) as error:
        progress_import.import_progress(tiny, name, data, EDITOR)
    assert fingerprint(tiny) == before
    return [str(p) for p in error.value.problems]


def with_date(value) -> list:
    return GOOD[:4] + [value] + GOOD[5:]


def test_spreadsheet_dates_get_plain_messages_by_row_and_column(tiny: Path):
    data = xlsx([HEADER, with_date(dt.datetime(2024, 1, 2, 13, 45)), with_date(45292),
                 [], with_date("2024-13-01"), with_date(dt.datetime(2023, 3, 4))])  # fmt: skip
    found = problems_of(tiny, "dates.xlsx", data)
    assert found == [
        "dates.xlsx, row 2, column 'date': 2024-01-02 13:45 holds a time of day: give the date "
        "only, as YYYY-MM-DD",
        "dates.xlsx, row 3, column 'date': 45292 is a number, not a date (a spreadsheet keeps "
        "dates as day numbers): format the cell as a date, or type the date as YYYY-MM-DD",
        "dates.xlsx, row 5, column 'date': '2024-13-01' is not a date in the calendar (YYYY-MM-DD)",
    ]
    assert not any("Datetimes provided" in p or "zero time" in p for p in found)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("45292", "45292 is a number, not a date"),
        ("2024-01-02 10:00", "holds a time of day"),
        ("02/01/2024", "'02/01/2024' is not a date: write it as YYYY-MM-DD"),
        ("", "is empty: give the date as YYYY-MM-DD"),
    ],
)
def test_csv_dates_get_plain_messages(tiny: Path, value, message):
    data = (",".join(HEADER) + "\n" + ",".join(with_date(value)) + "\n").encode()
    (found,) = problems_of(tiny, "d.csv", data)
    assert found.startswith("d.csv, row 2, column 'date': ") and message in found


def test_evidence_dates_from_a_spreadsheet(tiny: Path):
    header = ["date", "rec_ids", "role", "actor", "action_type", "direction", "summary",
              "source_title", "source_url", "source_kind", "publisher", "date_note",
              "link_reason", "supersedes"]  # fmt: skip
    row = ["KHM-1-10.1", "government", "a", "policy", "progress", "s", "t", "https://e.org",
           "government", "", "", "", ""]  # fmt: skip
    data = xlsx([header, [dt.datetime(2023, 5, 1)] + row, [45000] + row,
                 [dt.datetime(2023, 5, 1, 8)] + row])  # fmt: skip
    found = problems_of(tiny, "ev.xlsx", data)
    assert found[0].startswith("ev.xlsx, row 3, column 'date': 45000 is a number, not a date")
    assert found[1].startswith("ev.xlsx, row 4, column 'date': 2023-05-01 08:00 holds a time")
    assert len(found) == 2  # row 2, a date cell, is fine


def test_a_hidden_first_sheet_is_skipped_for_the_first_visible_one(tiny: Path):
    kind, ids = progress_import.import_progress(
        tiny, "hidden.xlsx", xlsx([HEADER, GOOD], hidden_first=True), EDITOR
    )
    assert kind == "assessments" and len(ids) == 1


def test_a_workbook_whose_every_sheet_is_hidden_says_so(tiny: Path):
    data = rewrite(xlsx([HEADER, GOOD]), "xl/workbook.xml",
                   lambda x: x.replace(b'state="visible" r:id',
                                       b'state="hidden" r:id'))  # fmt: skip
    (found,) = problems_of(tiny, "all-hidden.xlsx", data)
    assert found.startswith("all-hidden.xlsx: every sheet of the workbook is hidden")


def test_the_wrong_visible_sheet_is_named(tiny: Path):
    book = Workbook()
    book.active.title = "Read me"
    book.active.append(["SYNTHETIC instructions"])
    book.create_sheet("assessments").append(HEADER)
    buffer = io.BytesIO()
    book.save(buffer)
    (found,) = problems_of(tiny, "two.xlsx", buffer.getvalue())
    assert found.startswith("two.xlsx, row 1: sheet 'Read me' is not an assessments or evidence")


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("nul.csv", (",".join(HEADER) + "\n" + ",".join(GOOD[:5] + ["wh\x00y"] + GOOD[6:])
                     + "\n").encode(),
         "nul.csv, row 2, column 'rationale': contains a control character (U+0000) at "
         "character 3: remove it"),
        ("nul-cp1252.csv", (",".join(HEADER) + "\n" + ",".join(GOOD[:3] + ["Soci\xe9t\xe9"]
                            + GOOD[4:5] + ["wh\x00y"] + GOOD[6:]) + "\n").encode("cp1252"),
         "nul-cp1252.csv, row 2, column 'rationale': contains a control character (U+0000)"),
        ("escape.csv", (",".join(HEADER) + "\n" + ",".join(GOOD[:3] + ["org\x1b[31m"] + GOOD[4:])
                        + "\n").encode(),
         "escape.csv, row 2, column 'assessor_org': contains a control character (U+001B)"),
        ("nul.xlsx", rewrite(xlsx([HEADER, GOOD]), SHEET,
                             lambda x: x.replace(b"SYNTHETIC why", b"SYNTHETIC wh_x0000_y")),
         "nul.xlsx, row 2, column 'rationale': contains a control character (U+0000)"),
        ("bom.csv", b"\xef\xbb\xbf" + (",".join(HEADER) + "\n").encode()
                    + ",".join(GOOD[:3] + ["Soci\xe9t\xe9"] + GOOD[4:]).encode("latin-1"),
         "bom.csv: the file says it is UTF-8 but is not (line 2, character"),
        ("huge.csv", (",".join(HEADER) + "\n" + ",".join(GOOD[:5] + ["x" * 5_000_000] + GOOD[6:])
                      + "\n").encode(),
         "huge.csv: row 2, column 6 holds a cell of 5,000,000 characters; the limit is 100,000"),
        ("long.csv", (",".join(HEADER) + "\n" + ",".join(GOOD[:5] + ["x" * 5_001] + GOOD[6:])
                      + "\n").encode(),
         "long.csv, row 2, column 'rationale': is 5,001 characters long; the limit is 5,000"),
        ("extra.csv", (",".join(HEADER) + "\n" + ",".join(GOOD + ["stray"]) + "\n").encode(),
         "extra.csv, row 2, column 'K': holds a value beyond the last column of the header row"),
        ("gap.xlsx", xlsx([HEADER, GOOD, [], [], with_date("soon")]),
         "gap.xlsx, row 5, column 'date': 'soon' is not a date"),
        ("formula.xlsx", rewrite(xlsx([HEADER, GOOD]), SHEET, lambda x: x.replace(
            b'<c r="F2" t="inlineStr"><is><t>SYNTHETIC why</t></is></c>',
            b'<c r="F2" t="str"><f>"SYNTHETIC "&amp;"why"</f><v>SYNTHETIC why</v></c>')),
         "formula.xlsx, row 2, column 'rationale': is a formula; type the value instead"),
        ("legacy.xls", b"\xd0\xcf\x11\xe0 not really",
         "legacy.xls: assessments and evidence are imported from .xlsx or .csv files"),
        ("../../etc/passwd\x00.csv", b"a,b\n1,2\n",
         "passwd.csv, row 1: is not an assessments or evidence template"),
    ],
)  # fmt: skip
def test_every_import_error_names_the_file_row_and_column(tiny: Path, name, data, expected):
    found = problems_of(tiny, name, data)
    assert any(p.startswith(expected) for p in found), found


def test_a_full_disk_is_said_in_plain_words_and_nothing_is_written(tiny: Path, monkeypatch):
    import duckdb

    def full(*_args, **_kwargs):  # what DuckDB says when the lake's disk is full
        raise duckdb.IOException('Could not write file "x.parquet": No space left on device')

    monkeypatch.setattr(store, "_insert", full)
    before = fingerprint(tiny)
    with pytest.raises(InputError) as error:
        progress.add_assessment(tiny, _assessment(), EDITOR)
    assert str(error.value) == (
        "form: nothing was saved: the disk holding the store is full. Ask the administrator to "
        "free some space, then save again"
    )
    data = (",".join(HEADER) + "\n" + ",".join(GOOD) + "\n").encode()
    with pytest.raises(InputError, match="^a.csv: nothing was saved: the disk holding the store"):
        progress_import.import_progress(tiny, "a.csv", data, EDITOR)
    assert fingerprint(tiny) == before


def test_a_full_disk_while_keeping_the_upload_is_plain(tiny: Path, monkeypatch):
    real = Path.write_bytes

    def full(self, data):
        if "upr-progress-" in str(self):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(InputError, match="^a.csv: nothing was saved: the disk holding the store"):
        progress_import.import_progress(tiny, "a.csv", b"x", EDITOR)


# == 8. (see tests/test_exports.py for the CSV export) =============================================
