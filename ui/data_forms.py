"""The editor's forms on the Data page; each calls upr_data.progress, which checks permissions,
validates and writes, and shows every problem it reports (as text: a problem quotes the file's
name and the values typed, see ui.safe)."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from datetime import date
from pathlib import Path

import streamlit as st

from ui import safe
from upr_data import ingest, progress, progress_import, schema, taxonomy
from upr_data.access import NotAllowed, Writer
from upr_data.i18n import _
from upr_data.ingest import workbook
from upr_data.problems import InputError, Problem

LIMITS = progress.LIMITS


def _run(action, success: str) -> None:
    try:
        result = action()
    except InputError as error:
        safe.error_list(_("Nothing was saved. Please fix:"), error.problems)
    except NotAllowed as error:
        st.error(safe.md(_("Not saved: {reason}", reason=str(error))))
    else:
        st.success(safe.md(success.format(result=result)))


def assessment_form(target, writer: Writer, rec_ids: list[str]) -> None:
    with st.form("assessment_form", clear_on_submit=False):
        rec_id = st.selectbox(
            _("Recommendation"),
            rec_ids,
            index=None,
            key="a_rec",
            placeholder=_("Type an id such as KHM-2-118.1"),
        )
        status = st.selectbox(
            _("Status"),
            list(schema.STATUSES),
            key="a_status",
            format_func=lambda s: _(schema.STATUSES[s]),
        )
        role = st.selectbox(
            _("Assessor role"),
            list(schema.ROLES),
            key="a_role",
            format_func=lambda r: _(schema.ROLES[r]),
        )
        org = st.text_input(_("Organisation"), key="a_org", max_chars=LIMITS["short"])
        when = st.date_input(_("Date"), value=date.today(), max_value=date.today(), key="a_date")
        rationale = st.text_area(_("Rationale"), key="a_rationale", max_chars=LIMITS["long"])
        link = st.text_input(_("Evidence link (http or https)"), key="a_link",
                             max_chars=LIMITS["url"])  # fmt: skip
        source = st.text_input(_("Source (optional)"), key="a_source", max_chars=LIMITS["short"])
        location = st.text_input(_("Where in the source (optional)"), key="a_source_location",
                                 max_chars=LIMITS["short"])  # fmt: skip
        supersedes = st.text_input(_("Corrects assessment (id, optional)"), key="a_supersedes",
                                   max_chars=LIMITS["id"])  # fmt: skip
        submitted = st.form_submit_button(_("Save the assessment"), type="primary")
    if submitted:
        data = {
            "rec_id": rec_id or "",
            "status": status,
            "assessor_role": role,
            "assessor_org": org,
            "date": when,
            "rationale": rationale,
            "evidence_url": link,
            "source": source,
            "source_location": location,
            "supersedes": supersedes,
        }
        _run(
            lambda: progress.add_assessment(target, data, writer),
            _("Saved as {result}. Every page shows it on its next run."),
        )


def evidence_form(target, writer: Writer, rec_ids: list[str]) -> None:
    with st.form("evidence_form"):
        when = st.text_input(_("Date (YYYY, YYYY-MM or YYYY-MM-DD)"), key="e_date", max_chars=10)
        chosen = st.multiselect(_("Recommendations it bears on"), rec_ids, key="e_recs")
        role = st.selectbox(
            _("Stakeholder role"),
            list(schema.ROLES),
            key="e_role",
            format_func=lambda r: _(schema.ROLES[r]),
        )
        actor = st.text_input(_("Actor"), key="e_actor", max_chars=LIMITS["short"])
        action = st.selectbox(
            _("Action type"),
            list(schema.ACTION_TYPES),
            key="e_action",
            format_func=lambda a: _(schema.ACTION_TYPES[a]),
        )
        direction = st.selectbox(
            _("Direction"),
            list(schema.DIRECTIONS),
            key="e_direction",
            format_func=lambda d: _(schema.DIRECTIONS[d]),
        )
        summary = st.text_area(_("What happened"), key="e_summary", max_chars=LIMITS["long"])
        title = st.text_input(_("Source title"), key="e_title", max_chars=LIMITS["short"])
        url = st.text_input(_("Source link (http or https)"), key="e_url", max_chars=LIMITS["url"])
        kind = st.selectbox(
            _("Kind of source"),
            list(schema.SOURCE_KINDS),
            index=None,
            key="e_source_kind",
            format_func=lambda k: _(schema.SOURCE_KINDS[k]),
            placeholder=_("Who published it: government, UN, civil society or media"),
        )
        publisher = st.text_input(_("Publisher (optional)"), key="e_publisher",
                                  max_chars=LIMITS["short"])  # fmt: skip
        reason = st.text_input(_("Why it bears on these recommendations (optional)"),
                               key="e_link_reason", max_chars=LIMITS["short"])  # fmt: skip
        supersedes = st.text_input(_("Corrects evidence (id, optional)"), key="e_supersedes",
                                   max_chars=LIMITS["id"])  # fmt: skip
        submitted = st.form_submit_button(_("Save the evidence"), type="primary")
    if submitted:
        data = {
            "date": when,
            "rec_ids": chosen,
            "role": role,
            "actor": actor,
            "action_type": action,
            "direction": direction,
            "summary": summary,
            "source_title": title,
            "source_url": url,
            "source_kind": kind,
            "publisher": publisher,
            "link_reason": reason,
            "supersedes": supersedes,
        }
        _run(
            lambda: progress.add_evidence(target, data, writer),
            _("Saved as {result}. Every page shows it on its next run."),
        )


def import_form(target, writer: Writer) -> None:
    st.write(
        _(
            "Download a template, fill it in, and upload it. The whole file is checked first: "
            "if any row has a problem, nothing is saved and every problem is listed."
        )
    )
    for kind, label in (("assessments", _("Assessments")), ("evidence", _("Evidence"))):
        columns = st.columns(2)
        columns[0].download_button(
            _("{kind} template (CSV)", kind=label),
            progress_import.template_csv(kind),
            file_name=f"{kind}-template.csv",
            mime="text/csv",
            key=f"tpl_csv_{kind}",
        )
        columns[1].download_button(
            _("{kind} template with data dictionary (XLSX)", kind=label),
            progress_import.template_xlsx(kind, _),
            file_name=f"{kind}-template.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"tpl_xlsx_{kind}",
        )
    upload = st.file_uploader(
        _("Upload a filled template, an implementation plan, or an official export of "
          "recommendations (OHCHR UHRI .xlsx; UPR Info .xls, .csv or .ods): CSV, XLSX, XLS or "
          "ODS, at most 10 MB"),
        type=["csv", "txt", "xlsx", "xls", "ods"], key="upload",
    )  # fmt: skip
    if upload is None:
        return
    if upload.size > progress_import.MAX_BYTES:
        st.error(_("The file is over 10 MB: split it."))
        return
    try:
        path = _kept_upload(upload.name, upload.getvalue())
    except OSError as error:
        name = progress_import.file_name(upload.name)
        problem = Problem(name, None, None, progress.write_failure(error))
        safe.error_list(_("The file could not be read:"), [problem])
        return
    kind = _kind_of(path)
    if isinstance(kind, InputError):
        safe.error_list(_("The file could not be read:"), kind.problems)
        return
    if kind == "plan":
        from ui import plan_forms  # it builds on this module's helpers

        plan_forms.plan_import(target, writer, path)
        return
    if kind == "progress":
        if st.button(_("Import"), type="primary", key="do_import"):
            _run(lambda: progress_import.import_path(target, path, writer, name=path.name),
                 _("Imported: {result}"))  # fmt: skip
        return
    _recommendations_import(target, writer, path)


def _kind_of(path: Path) -> str | InputError:
    """The upload's layout, detected once per upload (not on every rerun while the file sits in
    the uploader): the answer is kept in the session beside the kept file's path."""
    kept = st.session_state.get("_upload_kind")
    if kept and kept[0] == str(path):
        return kept[1]
    kind: str | InputError
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm", ".ods"):
            # An upload is at most 10 MB: hold it to an upload's bounds before any parsing.
            workbook.check_zip(path, workbook.UPLOAD_LIMITS)
        kind = ingest.detect_kind(path)
    except workbook.UnreadableFile as error:
        kind = InputError([Problem(path.name, None, None, f"cannot read the file: {error}")])
    except InputError as error:
        kind = error
    st.session_state["_upload_kind"] = (str(path), kind)
    return kind


def _kept_upload(name: str, data: bytes) -> Path:
    """The upload as a file that stays the same across reruns (a folder per session, a name per
    content), so the reader parses it once, not on every rerun while it sits in the uploader."""
    folder = st.session_state.get("_upload_dir")
    if folder is None or not Path(folder).is_dir():
        folder = st.session_state["_upload_dir"] = tempfile.mkdtemp(prefix="upr-upload-")
    digest = hashlib.sha256(data).hexdigest()[:16]
    path = Path(folder) / digest / progress_import.file_name(name)
    if not path.is_file():
        for old in Path(folder).iterdir():  # one upload at a time per session
            shutil.rmtree(old, ignore_errors=True)
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
    return path


def _recommendations_import(target, writer: Writer, path: Path) -> None:
    """Official recommendations: a preview against the store and the official totals, then an
    all-or-nothing commit."""
    state = st.text_input(_("State under review (ISO code), if the file holds several"),
                          key="import_state").strip() or None  # fmt: skip
    parsed = ingest.read_file(path, target, state=state)
    plan = ingest.preview(target, parsed)
    st.markdown("**" + _("Preview") + "**")
    st.code("\n".join(plan.lines()), language=None)
    if plan.problems:
        safe.error_list(_("Nothing can be imported until these are fixed:"), plan.problems)
        return
    if not plan.writes:
        st.info(_("The store already holds everything in this file."))
        return
    if st.button(_("Import these recommendations"), type="primary", key="do_import_recs"):
        _run(lambda: ingest.commit(target, parsed, writer), _("Imported: {result}"))


def curate_form(target, writer: Writer, rec_ids: list[str]) -> None:
    st.write(
        _(
            "A curator's tags replace the classifier's in every view; the classifier's stay "
            "stored underneath and show as overridden on the recommendation."
        )
    )
    with st.form("curate_form"):
        rec_id = st.selectbox(_("Recommendation"), rec_ids, index=None, key="c_rec")
        scheme = st.selectbox(
            _("Which tags"),
            list(taxonomy.SCHEMES),
            key="c_scheme",
            format_func=lambda s: _(s.replace("_", " ")),
        )
        options = [c for vocabulary in taxonomy.SCHEMES.values() for c in vocabulary]
        codes = st.multiselect(
            _("Tags (from the chosen scheme)"), sorted(set(options)), key="c_codes"
        )
        reason = st.text_input(_("Why"), key="c_reason", max_chars=LIMITS["reason"])
        submitted = st.form_submit_button(_("Save the tags"), type="primary")
    if submitted:
        _run(
            lambda: progress.curate_tags(target, rec_id or "", scheme, codes, writer, reason),
            _("Saved."),
        )
