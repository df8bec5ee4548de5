"""`python -m upr_data check`: the store against official totals, references and vocabularies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from . import progress, queries, store, taxonomy
from .countries import display_name

# (official column, loaded column, what it counts)
TOTALS = [
    ("official_recommendations", "loaded", "recommendations"),
    ("official_supported", "loaded_supported", "supported"),
    ("official_noted", "loaded_noted", "noted"),
    ("official_recommending_states", "loaded_states", "recommending States"),
]


# Hosts whose pages are copies rather than the publisher's own: a curator should replace such a
# link by the original where it can be found. They are listed as notes, never refused (a copy may
# be the only public one left). A host matches when one of its dot-separated labels is in
# COPY_LABELS (web.test.ohchr.un-icc.cloud has "test") or when it is, or ends with, one of
# COPY_DOMAINS (test mirrors, and document-sharing sites that re-host others' documents).
COPY_LABELS = ("test", "staging", "mirror", "sandbox")
COPY_DOMAINS = (
    "un-icc.cloud",  # test mirrors of UN sites
    "scribd.com",
    "dokumen.tips",
    "vdocuments.net",
    "vdocuments.mx",
    "vdocuments.site",
    "fdocuments.net",
    "studylib.net",
    "abcdocz.com",
    "lawsdocbox.com",
    "docslib.org",
    "right-docs.org",
    "docplayer.net",
    "pdfcoffee.com",
)


def copy_host(url: str) -> str | None:
    """The host of `url` when it looks like a test, mirror or document-sharing copy site."""
    host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    if not host:
        return None
    if any(label in COPY_LABELS for label in host.split(".")):
        return host
    if any(host == d or host.endswith("." + d) for d in COPY_DOMAINS):
        return host
    return None


def copy_site_notes(urls: pd.DataFrame) -> list[str]:
    """One note per cited link on a copy site (`urls`: table, id, url), for a curator."""
    found = [(r.id, host, r.url) for r in urls.itertuples(index=False)
             if (host := copy_host(r.url))]  # fmt: skip
    if not found:
        return []
    return [
        f"{len(found)} source link(s) on hosts that look like test, mirror or document-sharing "
        "copy sites: a curator should replace each by the original where it can be found"
    ] + [f"  {key}: {host} ({url})" for key, host, url in found]


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


def editors_give_a_kind() -> bool:
    """Whether the editors' form and template ask for the kind of source. Every row loaded from
    data/sources must have one; an editor's row must too once the form asks for it. Until then
    an editor's row without one is listed as a note, not refused (it could not have one)."""
    return "source_kind" in progress.EvidenceIn.model_fields


def check_store(store_dir: Path, today: date | None = None) -> Report:
    damaged = store.verify(store_dir)
    if damaged:  # the rest would only repeat it as tracebacks or wrong numbers
        return Report(problems=[f"the store is damaged: {p}" for p in damaged])
    con = queries.connect(store_dir)
    report = compare_totals(queries.coverage(con))
    report.problems.extend(queries.integrity_problems(con))
    editors = editors_give_a_kind()
    report.problems.extend(queries.evidence_problems(con, today or date.today(), editors))
    if not editors:
        missing = queries.evidence_without_kind(con)
        if missing:
            shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
            report.notes.append(
                f"{len(missing)} evidence item(s) entered by editors have no kind of source "
                f"({shown}): the editors' form does not ask for it yet; a curator should add it "
                "by a correction"
            )
    report.notes.extend(copy_site_notes(queries.source_urls(con)))
    for scheme, code in queries.tag_codes(con).itertuples(index=False):
        known = taxonomy.SCHEMES.get(scheme)
        if known is not None and code not in known:
            report.problems.append(f"tags: unknown {scheme} code {code!r}")
    return report
