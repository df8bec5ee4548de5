"""Search everything a reader may know a recommendation by, and say where each hit was found.

The sidebar's text filter looks in the recommendations' own texts. A reader also knows them by
what happened since (a person or place named in the evidence, e.g. "Tep Vanny", "Boeung Kak"),
by who acted (a recommending State, a publisher, an assessing organisation), by a source, or by
the UN document they are printed in ("A/HRC/26/16"). `search(con, text)` looks in all of these
on the in-memory database of `queries.connect`, with the reader's text only ever a bound
parameter, and returns one `Hit` per place: how many things matched there, in words, and the
recommendations they lead to.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from .i18n import N_, _, ngettext

MAX_TEXT = 200  # characters of a search (the sidebar's box holds as many)

# Where a hit was found; the order in which hits are listed.
PLACES = (
    "text",  # the recommendation's own text, paragraph number or id
    "document",  # the UN document a cycle's recommendations are printed in
    "state",  # a recommending State (name or ISO code)
    "evidence",  # an evidence item's summary or title
    "evidence_actor",  # who acted, or who published the evidence
    "assessment",  # an assessment: the assessing organisation, its source or rationale
)


@dataclass(frozen=True)
class Hit:
    place: str  # one of PLACES
    found: str  # where it was found and what it leads to, in words
    matched: int  # how many things matched in that place
    rec_ids: tuple[str, ...]  # the recommendations it leads to, in paragraph order


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> list[tuple]:
    return con.cursor().execute(sql, params).fetchall()


def _recs(con, rec_ids: set[str]) -> tuple[str, ...]:
    """The ids in the store's paragraph order."""
    if not rec_ids:
        return ()
    sql = "SELECT rec_id FROM recommendations WHERE list_contains($ids, rec_id) ORDER BY rid"
    return tuple(r[0] for r in _rows(con, sql, {"ids": sorted(rec_ids)}))


# Recommendations of the State under review, or of every State (bound, like the text).
_OF_SUR = "($sur IS NULL OR r.sur = $sur)"


def _text(con, params: dict) -> Hit | None:
    sql = f"""SELECT r.rec_id FROM recommendations r
    WHERE {_OF_SUR} AND (contains(r.text_lower, lower($q)) OR r.paragraph = $q
                         OR r.rec_id = upper($q))"""
    found = {row[0] for row in _rows(con, sql, params)}
    if not found:
        return None
    words = ngettext(
        "{n} recommendation: its own text, paragraph number or id matches “{q}”",
        "{n} recommendations: their own texts, paragraph numbers or ids match “{q}”",
        len(found),
        q=params["q"],
    )
    return Hit("text", words, len(found), _recs(con, found))


def _documents(con, params: dict) -> list[Hit]:
    """A cycle's report or responses document (its symbol, or part of it: "26/16"), and the
    sources the recommendation texts name ("A/HRC/26/16 para 118")."""
    sql = """SELECT c.cycle, c.wg_report, c.responses_document, c.official_recommendations,
           list(r.rec_id ORDER BY r.rid) FILTER (WHERE r.rec_id IS NOT NULL) AS recs
    FROM (SELECT DISTINCT ON (sur, cycle) * FROM cycles ORDER BY sur, cycle) c
    LEFT JOIN recommendations r ON r.sur = c.sur AND r.cycle = c.cycle
    WHERE ($sur IS NULL OR c.sur = $sur)
      AND (contains(lower(coalesce(c.wg_report, '')), lower($q))
           OR contains(lower(coalesce(c.responses_document, '')), lower($q)))
    GROUP BY ALL ORDER BY c.cycle"""
    hits = []
    seen: set[str] = set()
    for cycle, report, responses, official, recs in _rows(con, sql, params):
        recs = tuple(recs or ())
        seen.update(recs)
        symbol = report if report and params["q"].lower() in report.lower() else responses
        kind = _("the report") if symbol == report else _("the responses document")
        if recs:
            found = ngettext(
                "{symbol} is {kind} of cycle {cycle}: {n} recommendation",
                "{symbol} is {kind} of cycle {cycle}: {n} recommendations",
                len(recs), symbol=symbol, kind=kind, cycle=int(cycle),
            )  # fmt: skip
        elif official is not None and not pd.isna(official):
            found = _(
                "{symbol} is {kind} of cycle {cycle}: its {official} recommendations are not "
                "loaded here (only the official totals are known)",
                symbol=symbol, kind=kind, cycle=int(cycle), official=int(official),
            )  # fmt: skip
        else:
            found = _(
                "{symbol} is {kind} of cycle {cycle}: its recommendations are not loaded here",
                symbol=symbol, kind=kind, cycle=int(cycle),
            )  # fmt: skip
        hits.append(Hit("document", found, 1, recs))
    sql = f"""SELECT r.rec_id FROM recommendations r
    WHERE {_OF_SUR} AND (contains(lower(coalesce(r.text_source, '')), lower($q))
                         OR contains(lower(coalesce(r.response_source, '')), lower($q))
                         OR contains(lower(coalesce(r.document, '')), lower($q)))"""
    cited = {row[0] for row in _rows(con, sql, params)} - seen
    if cited:
        found = ngettext(
            "{n} recommendation is printed in a document cited as “{q}”",
            "{n} recommendations are printed in documents cited as “{q}”",
            len(cited), q=params["q"],
        )  # fmt: skip
        hits.append(Hit("document", found, len(cited), _recs(con, cited)))
    return hits


def _states(con, params: dict) -> list[Hit]:
    sql = f"""SELECT rs.state_iso3, coalesce(st.name, rs.state_iso3) AS name,
           list(DISTINCT rs.rec_id) AS recs
    FROM recommendation_states rs JOIN recommendations r USING (rec_id)
    LEFT JOIN states st ON st.iso3 = rs.state_iso3
    WHERE {_OF_SUR} AND (rs.state_iso3 = upper($q)
           OR starts_with(lower(coalesce(st.name, '')), lower($q))
           OR contains(lower(coalesce(st.name, '')), ' ' || lower($q))
           OR starts_with(lower(coalesce(rs.name_as_printed, '')), lower($q)))
    GROUP BY ALL ORDER BY name"""
    hits = []
    for iso3, name, recs in _rows(con, sql, params):
        found = ngettext(
            "Recommending State {name} ({iso3}) made {n} recommendation",
            "Recommending State {name} ({iso3}) made {n} recommendations",
            len(recs), name=name, iso3=iso3,
        )  # fmt: skip
        hits.append(Hit("state", found, 1, _recs(con, set(recs))))
    return hits


def _linked_evidence(con, params: dict, columns: tuple[str, ...]) -> tuple[int, set[str]]:
    """Evidence items with `q` in one of `columns` (fixed names): how many, and the
    recommendations of the State under review they are linked to."""
    test = " OR ".join(f"contains(lower(coalesce(e.{c}, '')), lower($q))" for c in columns)
    sql = f"""SELECT e.evidence_id, r.rec_id FROM current_evidence e
    LEFT JOIN current_links l USING (evidence_id)
    LEFT JOIN recommendations r ON r.rec_id = l.rec_id AND {_OF_SUR}
    WHERE {test}"""
    rows = _rows(con, sql, params)
    return len({row[0] for row in rows}), {row[1] for row in rows if row[1] is not None}


def _evidence(con, params: dict) -> list[Hit]:
    hits = []
    items, recs = _linked_evidence(con, params, ("summary", "source_title"))
    if items:
        found = ngettext(
            "{n} evidence item mentions “{q}” (summary or title) → linked to {recs}",
            "{n} evidence items mention “{q}” (summaries or titles) → linked to {recs}",
            items, q=params["q"], recs=_count_recs(len(recs)),
        )  # fmt: skip
        hits.append(Hit("evidence", found, items, _recs(con, recs)))
    items, recs = _linked_evidence(con, params, ("actor", "publisher"))
    if items:
        found = ngettext(
            "{n} evidence item was published by, or names as the actor, “{q}” → linked to "
            "{recs}",
            "{n} evidence items were published by, or name as the actor, “{q}” → linked to "
            "{recs}",
            items, q=params["q"], recs=_count_recs(len(recs)),
        )  # fmt: skip
        hits.append(Hit("evidence_actor", found, items, _recs(con, recs)))
    return hits


def _assessments(con, params: dict) -> Hit | None:
    sql = f"""SELECT a.assessment_id, a.rec_id FROM current_assessments a
    JOIN recommendations r USING (rec_id)
    WHERE {_OF_SUR} AND (contains(lower(coalesce(a.assessor_org, '')), lower($q))
           OR contains(lower(coalesce(a.source, '')), lower($q))
           OR contains(lower(coalesce(a.rationale, '')), lower($q)))"""
    rows = _rows(con, sql, params)
    if not rows:
        return None
    recs = {row[1] for row in rows}
    found = ngettext(
        "{n} assessment names “{q}” (assessing organisation, source or reasoning) → on {recs}",
        "{n} assessments name “{q}” (assessing organisation, source or reasoning) → on {recs}",
        len({row[0] for row in rows}), q=params["q"], recs=_count_recs(len(recs)),
    )  # fmt: skip
    return Hit("assessment", found, len({row[0] for row in rows}), _recs(con, recs))


def _count_recs(n: int) -> str:
    return ngettext("{n} recommendation", "{n} recommendations", n)


def search(con: duckdb.DuckDBPyConnection, text: str, sur: str | None = None) -> list[Hit]:
    """Every place `text` is found (case-insensitive; a whole ISO code, paragraph number or id
    exactly), in the order of PLACES. Only recommendations of `sur` when given."""
    q = " ".join(str(text or "").split())[:MAX_TEXT]
    if not q:
        return []
    params = {"q": q, "sur": sur or None}
    hits: list[Hit] = []
    first = _text(con, params)
    hits += [first] if first else []
    hits += _documents(con, params)
    hits += _states(con, params)
    hits += _evidence(con, params)
    last = _assessments(con, params)
    hits += [last] if last else []
    return hits


def found_in(hits: list[Hit]) -> dict[str, list[str]]:
    """Recommendation id -> the places it was found through (for a "found in" column)."""
    places: dict[str, list[str]] = {}
    for hit in hits:
        for rec_id in hit.rec_ids:
            places.setdefault(rec_id, [])
            if hit.place not in places[rec_id]:
                places[rec_id].append(hit.place)
    return places


PLACE_LABELS = {
    "text": N_("its text"),
    "document": N_("its UN document"),
    "state": N_("a recommending State"),
    "evidence": N_("evidence about it"),
    "evidence_actor": N_("who acted or published"),
    "assessment": N_("an assessment"),
}
