"""The editors' plan forms on the Data page: load a whole plan, add or correct an institution or
a plan item, report progress on an item. Each calls upr_data.plan.write or .importer, which
check permissions, validate and write all or nothing (see ui.data_forms for how results show)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import streamlit as st

from ui.data_forms import LIMITS, _run
from upr_data import schema
from upr_data.access import Writer
from upr_data.i18n import _
from upr_data.ingest.current import read_current
from upr_data.plan import importer, write
from upr_data.plan.model import MAX_RECS

NEW = "__new__"


def _surs(target) -> list[str]:
    return sorted(set(read_current(target, "recommendations").column("sur").to_pylist()))


def _institution_label(row: dict) -> str:
    names = " / ".join(n for n in (row["name_en"], row["name_km"]) if n)
    return f"{names} ({_(schema.INSTITUTION_KINDS.get(row['kind'], row['kind']))})"


def templates() -> None:
    st.write(
        _(
            "A plan is a matrix with one row per recommendation (or group of them) and columns "
            "for the responsible ministry, the planned action, the indicator and the timeline. "
            "Headers are matched loosely (e.g. 'Lead ministry', 'Activities', 'Timeframe'); the "
            "template's data dictionary lists the names accepted. Institutions a plan names for "
            "the first time are added; correct their kind or Khmer name below."
        )
    )
    left, right = st.columns(2)
    left.download_button(
        _("Plan template (CSV)"),
        importer.template_csv(),
        file_name="plan-template.csv",
        mime="text/csv",
        key="tpl_csv_plan",
    )
    right.download_button(
        _("Plan template with data dictionary (XLSX)"),
        importer.template_xlsx(_),
        file_name="plan-template.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="tpl_xlsx_plan",
    )
    st.caption(_("Upload a filled plan on the 'Import a file' tab."))


def plan_import(target, writer: Writer, path: Path) -> None:
    """A plan file the uploader recognised: whose plan, which cycle its paragraphs refer to."""
    surs = _surs(target)
    sur = st.selectbox(_("Whose plan (State under review)"), surs, key="plan_sur")
    cycle = st.selectbox(
        _("The cycle its paragraph numbers refer to (not needed for full ids)"),
        [None, 1, 2, 3, 4, 5],
        key="plan_cycle",
        format_func=lambda c: _("full ids only") if c is None else str(c),
    )
    if st.button(_("Import the plan"), type="primary", key="do_import_plan"):

        def run():
            ids, notes = importer.import_path(
                target, path, writer, sur=sur, cycle=cycle, name=path.name
            )
            return "; ".join([_("{n} plan items", n=len(ids)), *notes])

        _run(run, _("Imported: {result}"))


def institution_form(target, writer: Writer) -> None:
    current = write.institutions(target)
    by_id = {r["institution_id"]: r for r in current}
    with st.form("institution_form"):
        corrects = st.selectbox(
            _("Institution"),
            [NEW, *by_id],
            key="i_id",
            format_func=lambda i: (
                _("A new institution") if i == NEW else _institution_label(by_id[i])
            ),
        )
        sur = st.selectbox(_("State under review"), _surs(target), key="i_sur")
        name_en = st.text_input(_("Name in English"), key="i_en", max_chars=LIMITS["short"])
        name_km = st.text_input(_("Name in Khmer"), key="i_km", max_chars=LIMITS["short"])
        kind = st.selectbox(
            _("Kind"),
            list(schema.INSTITUTION_KINDS),
            key="i_kind",
            format_func=lambda k: _(schema.INSTITUTION_KINDS[k]),
        )
        submitted = st.form_submit_button(_("Save the institution"), type="primary")
    if submitted:
        data = dict(
            sur=sur,
            name_en=name_en,
            name_km=name_km,
            kind=kind,
            institution_id=None if corrects == NEW else corrects,
        )
        _run(lambda: write.add_institution(target, data, writer), _("Saved as {result}."))


def item_form(target, writer: Writer, rec_ids: list[str]) -> None:
    institutions = {r["institution_id"]: r for r in write.institutions(target)}
    items = {r["item_id"]: r for r in read_current(target, "plan_items").to_pylist()}
    with st.form("plan_item_form"):
        corrects = st.selectbox(
            _("Plan item"),
            [NEW, *items],
            key="p_item",
            format_func=lambda i: (
                _("A new plan item") if i == NEW else f"{i}: {items[i]['action']}"
            ),
        )
        sur = st.selectbox(_("State under review"), _surs(target), key="p_sur")
        chosen = st.multiselect(
            _("Recommendations it implements"), rec_ids, key="p_recs", max_selections=MAX_RECS
        )
        lead = st.selectbox(
            _("Responsible institution"),
            [NEW, *institutions],
            key="p_lead",
            format_func=lambda i: (
                _("Another (type its name below)")
                if i == NEW
                else _institution_label(institutions[i])
            ),
        )
        lead_name = st.text_input(
            _("Name of another responsible institution"),
            key="p_lead_name",
            max_chars=LIMITS["short"],
        )
        supporting = st.multiselect(
            _("Supporting institutions"),
            list(institutions),
            key="p_support",
            format_func=lambda i: _institution_label(institutions[i]),
        )
        action = st.text_area(_("Planned action"), key="p_action", max_chars=LIMITS["long"])
        indicator = st.text_input(_("Indicator"), key="p_indicator", max_chars=LIMITS["long"])
        baseline = st.text_input(_("Baseline"), key="p_baseline", max_chars=LIMITS["long"])
        target_value = st.text_input(_("Target"), key="p_target", max_chars=LIMITS["long"])
        timeline = st.text_input(
            _("Timeline (2026-06-30, 2026-06, Q3 2026, 2026, 2025-2027 or ongoing)"),
            key="p_timeline",
            max_chars=LIMITS["short"],
        )
        source = st.text_input(
            _("Source document (the plan's title, symbol or link)"),
            key="p_source",
            max_chars=LIMITS["short"],
        )
        note = st.text_input(
            _("For a correction: what changed and why"), key="p_note", max_chars=LIMITS["short"]
        )
        withdrawn = st.checkbox(_("Withdrawn: no longer part of the plan"), key="p_withdrawn")
        submitted = st.form_submit_button(_("Save the plan item"), type="primary")
    if submitted:
        data = dict(
            sur=sur,
            rec_ids=chosen,
            responsible=lead_name if lead == NEW else lead,
            supporting=supporting,
            action=action,
            indicator=indicator,
            baseline=baseline,
            target=target_value,
            timeline=timeline,
            source_document=source,
            note=note,
            withdrawn=withdrawn,
            item_id=None if corrects == NEW else corrects,
        )
        _run(
            lambda: write.add_item(target, data, writer),
            _("Saved as {result}. The Plan page shows it on its next run."),
        )


def progress_form(target, writer: Writer) -> None:
    items = {r["item_id"]: r for r in read_current(target, "plan_items").to_pylist()}
    if not items:
        st.caption(_("No plan item is recorded yet."))
        return
    with st.form("plan_progress_form"):
        item = st.selectbox(
            _("Plan item"),
            list(items),
            key="g_item",
            format_func=lambda i: f"{i}: {items[i]['action']}",
        )
        status = st.selectbox(
            _("Where it stands"),
            list(schema.PLAN_STATUSES),
            key="g_status",
            format_func=lambda s: _(schema.PLAN_STATUSES[s]),
        )
        when = st.date_input(_("Date"), value=date.today(), max_value=date.today(), key="g_date")
        who = st.text_input(_("Reported by"), key="g_by", max_chars=LIMITS["short"])
        note = st.text_area(_("Note"), key="g_note", max_chars=LIMITS["long"])
        evidence = st.text_input(_("Evidence id (optional)"), key="g_ev", max_chars=LIMITS["id"])
        assessment = st.text_input(
            _("Assessment id (optional)"), key="g_as", max_chars=LIMITS["id"]
        )
        supersedes = st.text_input(
            _("Corrects progress report (id, optional)"), key="g_sup", max_chars=LIMITS["id"]
        )
        submitted = st.form_submit_button(_("Save the report"), type="primary")
    if submitted:
        data = dict(
            item_id=item,
            status=status,
            date=when,
            reported_by=who,
            note=note,
            evidence_id=evidence,
            assessment_id=assessment,
            supersedes=supersedes,
        )
        _run(lambda: write.add_progress(target, data, writer), _("Saved as {result}."))
