"""A tiny hand-made store (SYNTHETIC test data, not real recommendations) with known answers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa

from upr_data import schema, store

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def _table(name: str, rows: list[dict]) -> pa.Table:
    names = schema.TABLES[name].names
    return pa.Table.from_pylist([{c: r.get(c) for c in names} for r in rows], schema.TABLES[name])


def _rec(rid, cycle, paragraph, text, response):
    major, minor = paragraph.split(".")
    return dict(
        rec_id=rid,
        sur="KHM",
        cycle=cycle,
        paragraph=paragraph,
        sort_key=int(major) * 10_000 + int(minor),
        text=text,
        response=response,
        document="TEST",
        text_source=f"TEST para {major}",
        response_source="TEST",
    )


def _tag(rid, scheme, code, provenance="classifier"):
    return dict(
        rec_id=rid, scheme=scheme, code=code, label=code, provenance=provenance, rule="test"
    )


def _assessment(aid, rid, status, role, day, supersedes=None, entered=T0):
    return dict(
        assessment_id=aid,
        rec_id=rid,
        status=status,
        assessor_role=role,
        assessor_org=f"{role} org",
        date=day,
        rationale="test",
        evidence_url=None,
        source=None,
        entered_by="test",
        entered_at=entered,
        supersedes=supersedes,
    )


def _evidence(eid, day, direction, role="government", supersedes=None, kind="media"):
    return dict(
        evidence_id=eid,
        date=day,
        date_precision="day",
        role=role,
        actor="actor",
        action_type="other",
        direction=direction,
        summary=f"SYNTHETIC {eid}",
        source_title="t",
        source_url="https://example.org/" + eid,
        source_kind=kind,
        publisher=f"Publisher of {eid}",
        date_note=None,
        entered_by="test",
        entered_at=T0,
        supersedes=supersedes,
    )


def write(path: Path) -> Path:
    """R1-R3 in cycle 1 (R2 a cluster of France and Brazil), R4 in cycle 2; cycle 3 not loaded."""
    R1, R2, R3, R4 = "KHM-1-10.1", "KHM-1-10.2", "KHM-1-10.3", "KHM-2-20.1"
    tables = {
        "cycles": _table(
            "cycles",
            [
                dict(
                    sur="KHM",
                    cycle=1,
                    official_recommendations=3,
                    official_supported=2,
                    official_noted=1,
                    official_recommending_states=4,
                ),
                dict(
                    sur="KHM",
                    cycle=2,
                    official_recommendations=1,
                    official_supported=1,
                    official_noted=0,
                    official_recommending_states=1,
                ),
                dict(
                    sur="KHM",
                    cycle=3,
                    official_recommendations=198,
                    official_supported=173,
                    official_noted=25,
                    official_recommending_states=73,
                ),
            ],
        ),
        "states": _table(
            "states",
            [
                dict(iso3="DEU", name="Germany", regional_group="WEOG"),
                dict(iso3="FRA", name="France", regional_group="WEOG"),
                dict(iso3="BRA", name="Brazil", regional_group="GRULAC"),
                dict(iso3="USA", name="United States", regional_group="WEOG"),
            ],
        ),
        "recommendations": _table(
            "recommendations",
            [
                _rec(
                    R1, 1, "10.1", "Ratify the Convention on disabilities (Germany);", "supported"
                ),
                _rec(
                    R2,
                    1,
                    "10.2",
                    "(a) Continue 100% land_reform (France); (b) titles (Brazil);",
                    "supported",
                ),
                _rec(R3, 1, "10.3", "Release the political prisoners' (United States);", "noted"),
                _rec(
                    R4, 2, "20.1", "Consider abolishing the death penalty (Germany);", "supported"
                ),
            ],
        ),
        "response_history": _table(
            "response_history",
            [
                dict(rec_id=R1, seq=1, response="supported", stage="adoption"),
                dict(rec_id=R2, seq=1, response="supported", stage="adoption"),
                dict(rec_id=R3, seq=1, response="noted", stage="adoption"),
                dict(rec_id=R4, seq=1, response="noted", stage="adoption"),
                dict(rec_id=R4, seq=2, response="supported", stage="later", note="changed"),
            ],
        ),
        "recommendation_states": _table(
            "recommendation_states",
            [
                dict(rec_id=R1, state_iso3="DEU", name_as_printed="Germany", regional_group="WEOG"),
                dict(rec_id=R2, state_iso3="FRA", name_as_printed="France", regional_group="WEOG"),
                dict(
                    rec_id=R2, state_iso3="BRA", name_as_printed="Brazil", regional_group="GRULAC"
                ),
                dict(
                    rec_id=R3,
                    state_iso3="USA",
                    name_as_printed="United States",
                    regional_group="WEOG",
                ),
                dict(rec_id=R4, state_iso3="DEU", name_as_printed="Germany", regional_group="WEOG"),
            ],
        ),
        "tags": _table(
            "tags",
            [
                _tag(R1, "theme", "ratification"),
                _tag(R1, "theme", "disabilities"),
                _tag(R1, "action_category", "5"),
                _tag(R1, "group", "persons_disabilities"),
                _tag(R2, "theme", "land_housing"),
                _tag(R2, "action_category", "2"),
                _tag(R3, "theme", "detention"),
                _tag(R3, "action_category", "5"),
                _tag(R4, "theme", "death_penalty"),
                _tag(R4, "action_category", "3"),
                # a curator moved R4 from "considering" (3) to "specific" (5)
                _tag(R4, "action_category", "5", provenance="curator"),
            ],
        ),
        "assessments": _table(
            "assessments",
            [
                _assessment("A1", R1, "fully_implemented", "government", date(2020, 1, 1)),
                _assessment("A2", R1, "not_implemented", "civil_society", date(2019, 1, 1)),
                _assessment("A3", R1, "partially_implemented", "civil_society", date(2020, 2, 1)),
                _assessment("A4", R2, "partially_implemented", "government", date(2020, 3, 1)),
                # A5 corrects A4: A4 no longer counts
                _assessment(
                    "A5", R2, "not_implemented", "government", date(2020, 3, 1), supersedes="A4"
                ),
            ],
        ),
        "evidence": _table(
            "evidence",
            [
                _evidence("E1", date(2019, 5, 1), "progress"),
                _evidence(
                    "E2", date(2021, 6, 1), "regression", role="civil_society", kind="civil_society"
                ),
                _evidence("E3", date(2018, 1, 1), "progress", kind="un"),
                _evidence("E4", date(2018, 1, 2), "mixed", supersedes="E3", kind="government"),
            ],
        ),
        "evidence_links": _table(
            "evidence_links",
            [
                dict(evidence_id="E1", rec_id=R1, reason="SYNTHETIC: ratified"),
                dict(evidence_id="E1", rec_id=R2),
                dict(evidence_id="E2", rec_id=R3),
                dict(evidence_id="E3", rec_id=R4),
                dict(evidence_id="E4", rec_id=R4),
            ],
        ),
    }
    store.replace_base(path, tables)
    return path
