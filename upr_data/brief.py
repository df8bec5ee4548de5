"""The embassy brief: a PDF (A4) of the recommendations one State made to the State under review.

`build_brief(con, "DEU", data_version=...)` gives "Recommendations of Germany to Cambodia": a
first page with the headline figures and every recommendation at a glance, then one section per
loaded cycle, following on from the one before (a cycle starts a new page only when too little
room is left for its heading and first entry), with for each recommendation the State made or
co-made its paragraph number and full official text (in a clustered paragraph, the State's own
part in bold), Cambodia's response and its history, the latest assessment by each stakeholder
role, and the latest evidence with its source. Every page's footer says what the tracker is and
where its figures come from (the official UN document symbols, evidence from public pages), the
data in words ("data as of 1 Dec 2026, snapshot 12"), the date and the page number: nothing a
reader of the paper cannot look up. Nothing is summarised or invented: texts, responses,
statuses and evidence are the store's.

Fonts: fpdf2's built-in PDF fonts are Latin-1 only, and the texts hold typographic quotes, dashes
and accented State names, so DejaVu Sans (shipped in `upr_data/fonts/` with its licence) is
embedded, subset. In Khmer (`?lang=km`) Noto Sans Khmer (`upr_data/fonts/khmer/`, Khmer glyphs
only) is embedded beside it as the fallback font, text shaping is on (uharfbuzz: subscript
consonants and vowel signs are placed by the font) and the lines of everything but the official
English texts are `KHMER_LINES` times taller, for the marks Khmer stacks above and below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pycountry
from babel.dates import format_date as babel_date
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from . import i18n, missing, queries, schema, store
from .countries import display_name
from .filters import STATUS_CHOICES, Filters
from .i18n import _, is_khmer, ngettext, number
from .tables import format_date

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
KHMER_FONT = "NotoSansKhmer"
KHMER_FONT_DIR = FONT_DIR / "khmer"
KHMER_LINES = 1.3  # Khmer line height: about 1.6 x the font size (English: about 1.25 x)
MARGIN = 18  # mm, left and right
TOP = 15
BOTTOM = 20  # room for the footer

INK = (33, 37, 41)
MUTED = (95, 99, 104)
RULE = (200, 204, 208)
ACCENT = (0, 90, 140)
PANEL = (236, 243, 248)
LINK = (0, 84, 166)
# The dashboard's response colours (Okabe-Ito), darkened enough to read as text.
RESPONSE_INK = {
    "supported": (0, 94, 145),
    "partially_supported": (0, 110, 150),
    "noted": (160, 95, 0),
    "pending": (95, 99, 104),
}
CYCLE_HEADING = 22  # mm: a cycle's heading band and its line about the review
EXCERPT = 115  # characters of the State's own words in the first page's table


def _response(code: str) -> str:
    return _(schema.RESPONSES.get(code, code))


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


# -- the State's own part of a clustered paragraph -------------------------------------------------


def own_parts(text: str, printed_names: list[str], own_names: list[str]) -> list[tuple[str, bool]]:
    """`text` cut into (segment, made by the State) pieces.

    A clustered paragraph lists several States' recommendations, each closed by its State(s) in
    brackets: "(a) ... (Norway); (b) ... (Germany); ...". A piece ends after such a bracket; it
    is the State's own when the bracket names it. Where no bracket is found, the text is one
    plain piece.
    """
    names = sorted({n for n in printed_names if n}, key=len, reverse=True)
    if len(names) < 2:
        return [(text, False)]
    one = "|".join(re.escape(n) for n in names)  # longest first: "Nigeria" before "Niger"
    closing = re.compile(rf"\((?:{one})(?:(?:, | and |; )(?:{one}))*\)[;.,]?")
    pieces: list[tuple[str, bool]] = []
    start = 0
    for match in closing.finditer(text):
        named = set(re.findall(one, match.group(0)))
        mine = any(n in named for n in own_names)
        pieces.append((text[start : match.end()], mine))
        start = match.end()
    if not pieces:
        return [(text, False)]
    if start < len(text):
        tail = text[start:]
        if tail.strip():
            pieces.append((tail, False))
        else:
            segment, mine = pieces[-1]
            pieces[-1] = (segment + tail, mine)
    return pieces


# -- the PDF ---------------------------------------------------------------------------------------


class _BriefPDF(FPDF):
    def __init__(self, footer_lines: tuple[str, ...]):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_lines = footer_lines
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.lines = 1.0
        if i18n.is_khmer():
            # DejaVu Sans stays the main font (Noto Sans Khmer has no Latin letters or digits).
            self.add_font(KHMER_FONT, "", str(KHMER_FONT_DIR / "NotoSansKhmer-Regular.ttf"))
            self.add_font(KHMER_FONT, "B", str(KHMER_FONT_DIR / "NotoSansKhmer-Bold.ttf"))
            self.set_fallback_fonts([KHMER_FONT])
            self.set_text_shaping(True)
            self.lines = KHMER_LINES
        self.set_margins(MARGIN, TOP, MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM)
        self.alias_nb_pages()
        self.c_margin = 0.8

    def _render_styled_text_line(self, *args, **kwargs):
        # fpdf2 2.8.9 with fallback fonts: when a line starts with a fallback-font (Khmer)
        # fragment while the page has no font set yet, it sets the main font only inside that
        # line's text object yet marks it as set for the page; the next line, wrapped in its own
        # q/Q, then draws with no font ("No font in show", wrong glyphs). Setting the main font
        # on the page first, as fpdf2 does for any other line, avoids it.
        if self.page and self.current_font is not None and not self.current_font_is_set_on_page:
            self._out(self._set_font_for_page(self.current_font, self.font_size_pt))
        return super()._render_styled_text_line(*args, **kwargs)

    def lh(self, height: float) -> float:
        """A line height for text in the interface language (taller in Khmer)."""
        return height * self.lines

    def footer(self) -> None:
        self.set_y(-BOTTOM + 4)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1)
        self.set_font(FONT, "", 7)
        self.set_text_color(*MUTED)
        *lines, last = self.footer_lines
        for line in lines:
            self.cell(0, self.lh(3.3), line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        y = self.get_y()
        self.cell(0, self.lh(3.3), last, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_xy(self.l_margin, y)
        page = _("Page {page}/{pages}", page=self.page_no(), pages="{nb}")
        self.cell(0, self.lh(3.3), page, align="R")

    # small helpers, all leaving x at the left margin
    def font(self, size: float, bold: bool = False, colour=INK) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*colour)

    def para(self, text: str, size: float, height: float, *, bold=False, colour=INK, indent=0.0):
        """A paragraph in the interface language (its line height is `lh(height)`)."""
        self.font(size, bold, colour)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            self.epw - indent, self.lh(height), text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def room(self) -> float:
        return self.page_break_trigger - self.get_y()


def _state_name(con, iso3: str) -> str:
    present = queries.states_present(con)
    row = present[present["iso3"] == iso3]
    return str(row["name"].iloc[0]) if len(row) else display_name(iso3)


def _review(r) -> str:
    """'review of 2009-12-01, report A/HRC/13/4', leaving out what the store does not hold."""
    parts = []
    if not pd.isna(r.review_date):
        parts.append(_("review of {date}", date=format_date(r.review_date, "day")))
    if _text(r.wg_report):
        parts.append(_("report {report}", report=_text(r.wg_report)))
    return ", ".join(parts)


def _coverage_sentence(coverage: pd.DataFrame) -> str:
    loaded = coverage[coverage["loaded"] > 0]
    parts = []
    for r in loaded.itertuples(index=False):
        review = _review(r)
        cycle = _("cycle {cycle}", cycle=int(r.cycle))
        parts.append(_("{cycle} ({review})", cycle=cycle, review=review) if review else cycle)
    text = ngettext(
        "This brief covers the cycle loaded in the tracker: {cycles}.",
        "This brief covers the cycles loaded in the tracker: {cycles}.",
        len(parts),
        cycles="; ".join(parts),
    )
    gaps = missing.missing_note(*missing.from_coverage(coverage))
    if gaps:
        text += " " + gaps
    return text


def _summary_boxes(pdf: _BriefPDF, figures: list[tuple[int, str]]) -> None:
    gap = 3.0
    width = (pdf.epw - gap * (len(figures) - 1)) / len(figures)
    top = pdf.get_y()
    height = 12.5 + pdf.lh(4.5)
    pdf.set_fill_color(*PANEL)
    for i, (figure, label) in enumerate(figures):
        x = pdf.l_margin + i * (width + gap)
        pdf.rect(x, top, width, height, style="F")
        pdf.set_xy(x + 3, top + 2)
        pdf.font(17, True, ACCENT)
        pdf.cell(width - 6, 8, number(figure))
        pdf.set_xy(x + 3, top + 10.5)
        pdf.font(8.5, False, INK)
        pdf.cell(width - 6, pdf.lh(4.5), label)
    pdf.set_xy(pdf.l_margin, top + height + 4)


def _latest_assessments(detail: dict, row) -> str:
    """'Government: Partially implemented (org, 2020-02-01)' per role, or not assessed."""
    assessments = detail["assessments"]
    if len(assessments):
        assessments = assessments[~assessments["superseded"].astype(bool)]
    found, absent = [], []
    for role, role_label in schema.ROLES.items():
        status = getattr(row, f"status_{role}")
        if not isinstance(status, str):
            absent.append(_(role_label))
            continue
        match = assessments[
            (assessments["assessor_role"] == role) & (assessments["status"] == status)
        ]
        by = ""
        if len(match):
            first = match.iloc[0]
            by = _(
                " ({org}, {date})",
                org=_text(first["assessor_org"]) or "—",
                date=format_date(first["date"], _text(first.get("date_precision")) or "day"),
            )
        found.append(
            _(
                "{role}: {status}{by}",
                role=_(role_label),
                status=_(STATUS_CHOICES.get(status, status)),
                by=by,
            )
        )
    if not found:
        return _("Latest assessment: not assessed by any stakeholder role.")
    text = _("Latest assessment: {assessments}", assessments="; ".join(found))
    if absent:
        text += _("; not assessed by {roles}", roles=", ".join(absent))
    return text + "."


def _history(detail: dict, cycle_source: str) -> str:
    """Cambodia's positions in order; a source the cycle's heading names is not repeated."""
    history = detail["history"]
    stages = {"adoption": _("at adoption"), "later": _("later")}
    steps = []
    for h in history.itertuples(index=False):
        step = _(
            "{response} {stage}",
            response=_response(h.response),
            stage=stages.get(_text(h.stage), _text(h.stage)),
        ).strip()
        source = _text(h.source)
        extra = [
            x.rstrip(".") for x in (_text(h.note), "" if source == cycle_source else source) if x
        ]
        if extra:
            step = _("{step} ({detail})", step=step, detail="; ".join(extra))
        steps.append(step)
    if not steps:
        return _("Response history: not recorded.")
    if len(steps) == 1:
        return _("Response: {step}.", step=steps[0])
    return _("Response history: {steps}.", steps=" → ".join(steps))


def _cycle_source(details: list[dict]) -> str:
    """The source most of a cycle's recorded positions cite (named once, in the heading)."""
    sources = pd.Series([_text(s) for d in details for s in d["history"]["source"]], dtype="object")
    sources = sources[sources != ""]
    return str(sources.value_counts().index[0]) if len(sources) else ""


@dataclass
class _Entry:
    """The texts of one recommendation's entry, ready to measure and to draw."""

    heading: str
    response: str
    note: str  # on a clustered paragraph, else ""
    pieces: list[tuple[str, bool]]  # (text, the State's own)
    clustered: bool  # the State's own part was found, so it is drawn in bold
    status: str  # response history and latest assessments
    evidence: str  # latest evidence, or "none recorded"
    source: str  # its source title, or ""
    url: str
    plan: str = ""  # the plan items for it (who, what, by when, where it stands), or ""


def _entry_texts(row, detail: dict, iso3: str, name: str, cycle_source: str) -> _Entry:
    states = detail["states"]
    own = list(states.loc[states["iso3"] == iso3, "name_as_printed"].dropna())
    pieces = own_parts(str(row.text), list(states["name_as_printed"].dropna()), own)
    clustered = any(mine for _piece, mine in pieces)
    note = ""
    if len(states) > 1:
        note = ngettext(
            "clustered paragraph of {n} State", "clustered paragraph of {n} States", len(states)
        )
        if clustered:
            note = _("{note}; {state}'s part in bold", note=note, state=name)
    evidence = detail["evidence"]
    source = url = ""
    if evidence.empty:
        said = _("Evidence: none recorded.")
    else:
        latest = evidence.iloc[-1]  # ordered by date
        lead = ngettext(
            "Evidence ({n} item), latest:", "Evidence ({n} items), latest:", len(evidence)
        )
        what = _(
            "{date} · {direction} · {role}: {summary}",
            date=format_date(latest["date"], _text(latest["date_precision"]) or "day"),
            direction=_(schema.DIRECTIONS.get(latest["direction"], _text(latest["direction"]))),
            role=_(schema.ROLES.get(latest["role"], _text(latest["role"]))),
            summary=_text(latest["summary"]),
        )
        said = f"{lead} {what}"
        title = _text(latest["source_title"]) or "—"
        publisher = _text(latest.get("publisher"))
        kind = _text(latest.get("source_kind"))
        if kind in schema.SOURCE_KINDS:
            # "Source: title (publisher; kind)", the publisher left out where the title names it
            kind_label = _(schema.SOURCE_KINDS[kind])
            if publisher and publisher.lower() not in title.lower():
                source = _(
                    "Source: {title} ({publisher}; {kind})",
                    title=title,
                    publisher=publisher,
                    kind=kind_label,
                )
            else:
                source = _("Source: {title} ({kind})", title=title, kind=kind_label)
        else:
            source = _("Source: {title}", title=title)
        url = _text(latest["source_url"])
    return _Entry(
        heading=_(
            "Recommendation {paragraph} · {response}",
            paragraph=row.paragraph,
            response=_response(row.response),
        ),
        response=row.response,
        note=note,
        pieces=pieces,
        clustered=clustered,
        status=_history(detail, cycle_source) + " " + _latest_assessments(detail, row),
        evidence=said,
        source=source,
        url=url,
    )


INDENT = 3.0  # mm, of an entry's body under its heading


def plan_lines(con, rec_ids: list[str], today: date) -> dict[str, str] | None:
    """{rec_id: "Plan: who · what · due when (where it stands)"} for the recommendations, with
    "no plan item" for a supported one without; None when the store holds no plan at all."""
    from .plan import queries as plan_queries
    from .plan.tables import STATE_LABELS

    if plan_queries.count(con) == 0:
        return None
    items = plan_queries.for_recommendations(con, rec_ids, today)
    found: dict[str, list[str]] = {}
    for row in items.itertuples(index=False):
        who = (row.responsible_km if is_khmer() else row.responsible_en) or ""
        due = "" if pd.isna(row.due_date) else pd.Timestamp(row.due_date).date().isoformat()
        found.setdefault(row.rec_id, []).append(
            _(
                "{who} · {action} · due {due} ({state})",
                who=who,
                action=_text(row.action),
                due=due or _text(row.timeline) or "—",
                state=_(STATE_LABELS[row.state]).lower(),
            )
        )
    lines = {r: _("Plan: {items}", items="; ".join(v)) for r, v in found.items()}
    for rec_id in plan_queries.supported_among(con, rec_ids):
        lines.setdefault(rec_id, _("Plan: no plan item for this supported recommendation."))
    return lines


def _entry_height(pdf: _BriefPDF, entry: _Entry) -> float:
    """About how tall `_entry` will draw `entry` (to keep an entry on one page)."""
    width = pdf.epw - INDENT

    def height(text: str, size: float, line: float, bold: bool = False) -> float:
        pdf.set_font(FONT, "B" if bold else "", size)
        return pdf.multi_cell(width, line, text, dry_run=True, output=MethodReturnValue.HEIGHT)

    # The official texts are English: their lines are not made taller in Khmer.
    total = 1.5 + pdf.lh(5.4) + pdf.lh(5.0) - 4.4 + 1.2
    if entry.clustered:
        own = " ".join(p for p, mine in entry.pieces if mine)
        rest = " ".join(p for p, mine in entry.pieces if not mine)
        total += height(own, 10, 4.4, True) + height(rest, 9, 4.0) + 4.4
    else:
        total += height("".join(p for p, _mine in entry.pieces), 10, 4.4)
    total += height(entry.status, 9, pdf.lh(4.0)) + height(entry.evidence, 9, pdf.lh(4.1))
    if entry.plan:
        total += height(entry.plan, 9, pdf.lh(4.0))
    if entry.source:
        total += height(f"{entry.source} {entry.url}", 8.5, pdf.lh(3.9)) + pdf.lh(3.9)
    return total


def _entry(pdf: _BriefPDF, entry: _Entry) -> None:
    if pdf.room() < 30:
        pdf.add_page()
    pdf.ln(1.5)
    top = pdf.get_y()
    pdf.font(10.5, True, RESPONSE_INK.get(entry.response, INK))
    pdf.cell(0, pdf.lh(5.4), entry.heading)
    if entry.note:
        pdf.set_xy(pdf.l_margin, top)
        pdf.font(8.5, False, MUTED)
        pdf.cell(0, pdf.lh(5.4), entry.note, align="R")
    pdf.set_xy(pdf.l_margin, top + pdf.lh(5.4))
    left = pdf.l_margin
    pdf.set_left_margin(left + INDENT)
    pdf.set_x(left + INDENT)
    for piece, mine in entry.pieces:
        # In a cluster the State's own words are at body size in bold; the other States' parts
        # stay complete but smaller, so that a cycle fits on about one page.
        if entry.clustered and not mine:
            pdf.font(9, colour=MUTED)
            pdf.write(4.0, piece)
        else:
            pdf.font(10, bold=entry.clustered)
            pdf.write(4.4, piece)
    pdf.set_left_margin(left)
    pdf.ln(pdf.lh(5.0))
    pdf.para(entry.status, 9, 4.0, indent=INDENT)
    if entry.plan:
        pdf.para(entry.plan, 9, 4.0, indent=INDENT)
    if not entry.source:
        pdf.para(entry.evidence, 9, 4.1, colour=MUTED, indent=INDENT)
    else:
        pdf.para(entry.evidence, 9, 4.1, indent=INDENT)
        pdf.font(8.5, False, MUTED)
        pdf.set_left_margin(left + INDENT)
        pdf.set_x(left + INDENT)
        pdf.write(pdf.lh(3.9), entry.source + (" " if entry.url else ""))
        if entry.url:
            pdf.set_text_color(*LINK)
            # A URL has no spaces to wrap at: start it on a new line rather than cut it mid-line.
            if pdf.get_string_width(entry.url) > pdf.w - pdf.r_margin - pdf.get_x():
                pdf.ln(pdf.lh(3.9))
            pdf.write(pdf.lh(3.9), entry.url, link=entry.url)
        pdf.set_left_margin(left)
        pdf.ln(pdf.lh(3.9))
    pdf.ln(1.2)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.15)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())


def _glance(pdf: _BriefPDF, recs: pd.DataFrame, details: dict[str, dict], iso3: str) -> None:
    """One row per recommendation: where it is, the response, evidence, and the State's words."""
    pdf.font(12, True, ACCENT)
    pdf.cell(0, pdf.lh(7), _("At a glance"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    headings = (_("Cycle"), _("No."), _("Response"), _("Evidence"), _("What was recommended"))
    widths = (12, 17, 21, 17, pdf.epw - 67)
    pdf.font(8.5, True, MUTED)
    for heading, width in zip(headings, widths, strict=True):
        pdf.cell(width, pdf.lh(5), heading)
    pdf.ln(pdf.lh(5))
    for row in recs.itertuples(index=False):
        states = details[row.rec_id]["states"]
        own = list(states.loc[states["iso3"] == iso3, "name_as_printed"].dropna())
        pieces = own_parts(str(row.text), list(states["name_as_printed"].dropna()), own)
        words = " ".join(p.strip() for p, mine in pieces if mine) or str(row.text)
        words = re.sub(r"^\([a-z]{1,2}\)\s*", "", words)
        if len(words) > EXCERPT:
            words = words[:EXCERPT].rsplit(" ", 1)[0] + " …"
        if pdf.room() < pdf.lh(6):
            pdf.add_page()
        pdf.set_draw_color(*RULE)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.font(8.5)
        cells = (str(row.cycle), str(row.paragraph), _response(row.response), number(row.evidence))
        for value, width in zip(cells, widths, strict=False):
            pdf.cell(width, pdf.lh(5), value)
        pdf.multi_cell(widths[-1], pdf.lh(5), words, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _documents(con, sur: str) -> str:
    """The official UN document symbols of the loaded cycles: 'A/HRC/13/4; A/HRC/26/16,
    A/HRC/26/16/Add.1'."""
    symbols = []
    for r in queries.cycle_documents(con, sur).itertuples(index=False):
        both = [_text(r.wg_report), _text(r.responses_document)]
        symbols.append(", ".join(dict.fromkeys(x for x in both if x)))
    return "; ".join(x for x in symbols if x)


def data_words(data_version: str, data_as_of: datetime | None) -> str:
    """The data a brief shows, in words: 'data as of 1 Dec 2026, snapshot 12'."""
    version = str(data_version).strip()
    if version.isdigit():
        version = _("snapshot {id}", id=version)
    if data_as_of is None:
        return _("data: {version}", version=version)
    day = babel_date(data_as_of.date(), format="d MMM y", locale=i18n.current_locale())
    return _("data as of {day}, {version}", day=day, version=version)


def _footer(documents: str, data_version: str, data_as_of: datetime | None, today: date):
    """Three lines a reader of the paper can use: what the tracker is and the UN documents its
    texts come from (by symbol), where the evidence comes from, then the data in words and the
    date of the brief (the page number beside it)."""
    first = (
        _(
            "UPR Implementation Tracker · official UN texts: {documents} (documents.un.org)",
            documents=documents,
        )
        if documents
        else _("UPR Implementation Tracker")
    )
    second = _(
        "Evidence: public UN, government, civil-society and media pages, each cited with its "
        "link where it is used"
    )
    third = _(
        "{data} · brief produced {date}",
        data=data_words(data_version, data_as_of),
        date=today.isoformat(),
    )
    return first, second, third


def build_brief(
    con,
    iso3: str,
    *,
    data_version: str,
    today: date | None = None,
    sur: str | None = None,
    data_as_of: datetime | None = None,
) -> bytes:
    """The brief of the recommendations `iso3` made to the State under review (`sur`, else the
    store's), as PDF bytes. `data_version` is the snapshot id (or its label) and `data_as_of`
    when it was committed, for the footer.

    Raises ValueError for a code that is not an ISO 3166 alpha-3 State. A State with no
    recommendation in the store gets a one-page brief that says so.
    """
    code = str(iso3).strip().upper()
    if pycountry.countries.get(alpha_3=code) is None:
        raise ValueError(_("Unknown State code “{code}”: use an ISO 3166 alpha-3 code.", code=iso3))
    today = today or date.today()
    name = _state_name(con, code)
    sur = queries.reviewed_state(con, Filters(sur=(sur or "").strip().upper()))
    reviewed = display_name(sur)
    f = Filters(states=(code,), sur=sur)
    recs = queries.recommendations(con, f, limit=queries.count(con, f))
    figures = queries.summary(con, f)
    coverage = queries.coverage(con, sur)

    footer = _footer(_documents(con, sur), data_version, data_as_of, today)
    pdf = _BriefPDF(footer)
    title = _("Recommendations of {state} to {reviewed}", state=name, reviewed=reviewed)
    pdf.set_title(title)
    pdf.set_author(_("UPR Implementation Tracker"))
    pdf.set_subject(_("Universal Periodic Review: embassy brief"))
    pdf.set_creator(_("UPR Implementation Tracker"))
    pdf.set_creation_date(pd.Timestamp(today).to_pydatetime())
    pdf.add_page()

    pdf.font(8.5, True, ACCENT)
    pdf.cell(
        0,
        pdf.lh(4.5),
        _("UN Universal Periodic Review · brief"),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(1)
    pdf.para(title, 19, 8.5, bold=True)
    if not recs.empty:
        pdf.para(
            _(
                "Every recommendation {state} made or co-made to {reviewed}, {reviewed}'s "
                "response, and what has happened since, as recorded in the tracker.",
                state=name,
                reviewed=reviewed,
            ),
            10,
            4.8,
            colour=MUTED,
        )
    pdf.ln(3)

    if recs.empty:
        pdf.font(12, True)
        pdf.para(
            _(
                "{state} made no recommendation to {reviewed} in the cycles loaded in the tracker.",
                state=name,
                reviewed=reviewed,
            ),
            12,
            6,
            bold=True,
        )
        pdf.ln(2)
        pdf.para(_coverage_sentence(coverage), 10, 4.8)
        return bytes(pdf.output())

    _summary_boxes(
        pdf,
        [
            (figures["recommendations"], _("made or co-made")),
            (figures["supported"], _("supported by {reviewed}", reviewed=reviewed)),
            (figures["with_evidence"], _("with evidence")),
            (figures["assessed"], _("with an assessment")),
        ],
    )
    pdf.para(
        _coverage_sentence(coverage)
        + " "
        + _(
            "A paragraph is counted once even where several States made it. A status appears "
            "only where a stakeholder assessed the recommendation; evidence is dated and "
            "sourced, and is not an assessment."
        ),
        8.5,
        4,
        colour=MUTED,
    )
    pdf.ln(3)
    details = {rec_id: queries.recommendation(con, rec_id) for rec_id in recs["rec_id"]}
    plans = plan_lines(con, list(recs["rec_id"]), today)
    if plans is None:
        pdf.para(
            _(
                "No implementation plan is loaded in the tracker: it cannot say which ministry "
                "is responsible for these recommendations or by when. Ask {reviewed} for its "
                "plan.",
                reviewed=reviewed,
            ),
            8.5,
            4,
            colour=MUTED,
        )
        pdf.ln(2)
    _glance(pdf, recs, details, code)

    reviews = {int(r.cycle): r for r in coverage.itertuples(index=False)}
    for cycle, rows in recs.groupby("cycle", sort=True):
        review = reviews.get(int(cycle))
        cycle_details = [details[rec_id] for rec_id in rows["rec_id"]]
        cycle_source = _cycle_source(cycle_details)
        entries = [
            replace(
                _entry_texts(row, detail, code, name, cycle_source),
                plan=(plans or {}).get(row.rec_id, ""),
            )
            for row, detail in zip(rows.itertuples(index=False), cycle_details, strict=True)
        ]
        # Cycles follow on: a new page only when the heading and the first entry would not fit
        # (an entry taller than most of a page starts wherever there is some room).
        needed = min(CYCLE_HEADING + _entry_height(pdf, entries[0]), pdf.eph - 30)
        if pdf.room() < needed + 5:
            pdf.add_page()
        else:
            pdf.ln(5)
        pdf.set_fill_color(*ACCENT)
        pdf.font(13, True, (255, 255, 255))
        pdf.cell(
            0,
            pdf.lh(8),
            _("Cycle {cycle}", cycle=int(cycle)),
            fill=True,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        counts = rows["response"].value_counts()
        responses = ", ".join(
            _("{n} {response}", n=number(int(counts[code])), response=_response(code).lower())
            for code in schema.RESPONSES
            if code in counts
        )
        about = ngettext(
            "{n} recommendation ({responses}).",
            "{n} recommendations ({responses}).",
            len(rows),
            responses=responses,
        )
        if review is not None:
            facts = []
            if not pd.isna(review.review_date):
                facts.append(_("Reviewed {date}", date=format_date(review.review_date, "day")))
            if _text(review.wg_report):
                facts.append(_("report {report}", report=_text(review.wg_report)))
            about = " · ".join([*facts, about])
        if cycle_source:
            about += " " + _("Responses as recorded in {source}.", source=cycle_source)
        pdf.ln(1)
        pdf.para(about, 9, 4.2, colour=MUTED)
        for entry in entries:
            # Keep an entry on one page: if it would be cut, start it on the next page instead,
            # unless it is taller than a page or already starts near the top of one.
            needed = _entry_height(pdf, entry)
            if needed > pdf.room() and needed < pdf.eph - 30 and pdf.get_y() > pdf.t_margin + 30:
                pdf.add_page()
            _entry(pdf, entry)
    return bytes(pdf.output())


def write_brief(store_dir: Path, iso3: str, out_path: Path, sur: str | None = None) -> Path:
    """Build the brief of `iso3` from the store at `store_dir` and write it to `out_path`."""
    con = queries.connect(store_dir)
    version = store.version(store_dir)
    when = dict(store.snapshots(store_dir)).get(int(version)) if version.isdigit() else None
    try:
        data = build_brief(con, iso3, data_version=version, sur=sur, data_as_of=when)
    finally:
        con.close()
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out
