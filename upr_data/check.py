"""`python -m upr_data check`: the store against official totals, references and vocabularies."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import queries, taxonomy
from .countries import display_name

# (official column, loaded column, what it counts)
TOTALS = [
    ("official_recommendations", "loaded", "recommendations"),
    ("official_supported", "loaded_supported", "supported"),
    ("official_noted", "loaded_noted", "noted"),
    ("official_recommending_states", "loaded_states", "recommending States"),
]


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def compare_totals(coverage: pd.DataFrame) -> Report:
    """Per State under review, then per cycle: what is loaded beside the official totals."""
    report = Report()
    for sur, cycles in coverage.groupby("sur", sort=True):
        loaded = int(cycles["loaded"].sum())
        report.notes.append(
            f"{display_name(str(sur))} ({sur}): {loaded} recommendations loaded in "
            f"{int((cycles['loaded'] > 0).sum())} of {len(cycles)} cycles"
        )
        _compare_cycles(cycles, report)
    return report


def _compare_cycles(coverage: pd.DataFrame, report: Report) -> None:
    for row in coverage.itertuples(index=False):
        label = f"{row.sur} cycle {row.cycle}"
        if row.loaded == 0:
            official = row.official_recommendations
            total = (
                "official total not known here"
                if pd.isna(official)
                else f"{int(official)} official"
            )
            report.notes.append(f"{label}: not loaded ({total})")
            continue
        checked, wrong = [], []
        for official_col, loaded_col, what in TOTALS:
            official, loaded = getattr(row, official_col), int(getattr(row, loaded_col))
            if pd.isna(official):
                continue
            if int(official) != loaded:
                wrong.append(f"{label}: {loaded} {what} loaded, official total {int(official)}")
            else:
                checked.append(f"{loaded} {what}")
        report.problems.extend(wrong)
        if not wrong and not checked:
            report.notes.append(
                f"{label}: loaded ({int(row.loaded)} recommendations, {int(row.loaded_supported)} "
                f"supported, {int(row.loaded_noted)} noted, {int(row.loaded_states)} recommending "
                "States): official totals not known here"
            )
        elif not wrong:
            report.notes.append(
                f"{label}: loaded, matches the official totals ({', '.join(checked)})"
            )


def check_store(store_dir: Path) -> Report:
    con = queries.connect(store_dir)
    report = compare_totals(queries.coverage(con))
    report.problems.extend(queries.integrity_problems(con))
    for scheme, code in queries.tag_codes(con).itertuples(index=False):
        known = taxonomy.SCHEMES.get(scheme)
        if known is not None and code not in known:
            report.problems.append(f"tags: unknown {scheme} code {code!r}")
    return report
