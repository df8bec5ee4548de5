"""Tables of the store and the controlled vocabularies their columns use.

Every table is a folder of Parquet files (`<store>/<table>/*.parquet`) with the Arrow schema below.
The base files come from `python -m upr_data build`; later writes add part files beside them.
"""

from __future__ import annotations

import pyarrow as pa

from .i18n import N_

# -- vocabularies (code -> English label; labels are translated at the edge, in the views) --------

RESPONSES = {
    "supported": N_("Supported"),
    "partially_supported": N_("Partially supported"),
    "noted": N_("Noted"),
    "pending": N_("Pending"),
}
STATUSES = {
    "not_implemented": N_("Not implemented"),
    "partially_implemented": N_("Partially implemented"),
    "fully_implemented": N_("Fully implemented"),
}
# Filter value for recommendations nobody has assessed (never stored as a status).
NOT_ASSESSED = "not_assessed"
ROLES = {
    "government": N_("Government"),
    "recommending_state": N_("Recommending States"),
    "civil_society": N_("Civil society"),
    "public": N_("The public"),
    "un": N_("UN bodies"),
}
DIRECTIONS = {
    "progress": N_("Progress"),
    "regression": N_("Regression"),
    "mixed": N_("Mixed"),
    "no_change": N_("No change"),
}
# The kind of organisation that published the page an evidence item was read from (a copy on a
# document-sharing site counts as its original publisher's document).
SOURCE_KINDS = {
    "government": N_("Government"),
    "un": N_("UN"),
    "civil_society": N_("Civil society"),
    "media": N_("Media"),
}
# What views group evidence without a kind of source under (never stored as a kind).
KIND_NOT_RECORDED = "not_recorded"
SOURCE_KIND_CHOICES = {**SOURCE_KINDS, KIND_NOT_RECORDED: N_("Kind not recorded")}
ACTION_TYPES = {
    "legislation": N_("Legislation"),
    "policy": N_("Policy"),
    "institution": N_("Institution"),
    "ratification": N_("Ratification"),
    "consultation": N_("Consultation"),
    "monitoring_report": N_("Monitoring report"),
    "advocacy": N_("Advocacy"),
    "other": N_("Other"),
}
REGIONAL_GROUPS = {
    "Africa": N_("African States"),
    "Asia": N_("Asia-Pacific States"),
    "EEG": N_("Eastern European States"),
    "GRULAC": N_("Latin American and Caribbean States"),
    "WEOG": N_("Western European and other States"),
    "Observer": N_("Observer States"),
}
# What kind of body an institution of the implementation plan is.
INSTITUTION_KINDS = {
    "ministry": N_("Ministry"),
    "nmrf": N_("National mechanism for reporting and follow-up"),
    "court": N_("Court"),
    "parliament": N_("Parliament"),
    "nhri": N_("National human-rights body"),
    "other": N_("Other"),
}
# Where a plan item stands, as the responsible institution or a monitor reports it.
PLAN_STATUSES = {
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "completed": N_("Completed"),
}
# How precise a plan item's due date is: the last day of the period a plan gives.
DUE_PRECISIONS = ("day", "month", "quarter", "year")
PROVENANCES = ("classifier", "curator", "official")
# `entered_by` of the rows `python -m upr_data build` loads from data/sources starts with this.
FROM_SOURCE_FILE = "source file "
DATE_PRECISIONS = ("day", "month", "year")

# -- tables ----------------------------------------------------------------------------------------

TABLES: dict[str, pa.Schema] = {
    "cycles": pa.schema(
        [
            ("sur", pa.string()),  # State under review, ISO 3166 alpha-3
            ("cycle", pa.int16()),
            ("wg_session", pa.int16()),
            ("review_date", pa.date32()),
            ("wg_report", pa.string()),
            ("responses_document", pa.string()),
            ("official_recommendations", pa.int32()),  # null where the count is not known here
            ("official_supported", pa.int32()),
            ("official_noted", pa.int32()),
            ("official_recommending_states", pa.int32()),
            ("sources", pa.string()),
        ]
    ),
    "recommendations": pa.schema(
        [
            ("rec_id", pa.string()),  # e.g. KHM-2-118.1
            ("sur", pa.string()),
            ("cycle", pa.int16()),
            ("paragraph", pa.string()),  # as printed: "118.1"
            ("sort_key", pa.int64()),  # paragraph as a sortable number (118.1 -> 118_0001)
            ("text", pa.string()),
            ("response", pa.string()),  # the current position
            ("document", pa.string()),  # document symbol of the text, e.g. A/HRC/26/16
            ("text_source", pa.string()),
            ("response_source", pa.string()),
        ]
    ),
    # Every position a State took on a recommendation, in order; the last one is current.
    "response_history": pa.schema(
        [
            ("rec_id", pa.string()),
            ("seq", pa.int16()),
            ("response", pa.string()),
            ("stage", pa.string()),  # "adoption" or "later"
            ("note", pa.string()),
            ("source", pa.string()),
        ]
    ),
    "recommendation_states": pa.schema(
        [
            ("rec_id", pa.string()),
            ("state_iso3", pa.string()),
            ("name_as_printed", pa.string()),
            ("regional_group", pa.string()),
        ]
    ),
    "states": pa.schema(
        [
            ("iso3", pa.string()),
            ("name", pa.string()),
            ("regional_group", pa.string()),
        ]
    ),
    "tags": pa.schema(
        [
            ("rec_id", pa.string()),
            ("scheme", pa.string()),  # theme | group | action_category | sdg
            ("code", pa.string()),
            ("label", pa.string()),
            ("provenance", pa.string()),  # classifier | curator | official
            ("rule", pa.string()),  # why: the classifier rule that fired, or who decided
        ]
    ),
    "assessments": pa.schema(
        [
            ("assessment_id", pa.string()),
            ("rec_id", pa.string()),
            ("status", pa.string()),
            ("assessor_role", pa.string()),
            ("assessor_org", pa.string()),
            ("date", pa.date32()),
            ("rationale", pa.string()),
            ("evidence_url", pa.string()),
            ("source", pa.string()),
            # where in the source the judgement is stated, e.g. "section 2, first paragraph"
            ("source_location", pa.string()),
            # day | month | year: how precise `date` is (null: a day, as editors enter it)
            ("date_precision", pa.string()),
            ("entered_by", pa.string()),
            ("entered_at", pa.timestamp("s", tz="UTC")),
            ("supersedes", pa.string()),
        ]
    ),
    "evidence": pa.schema(
        [
            ("evidence_id", pa.string()),
            ("date", pa.date32()),  # first day of the period the source gives
            ("date_precision", pa.string()),  # day | month | year
            ("role", pa.string()),
            ("actor", pa.string()),
            ("action_type", pa.string()),
            ("direction", pa.string()),
            ("summary", pa.string()),
            ("source_title", pa.string()),
            ("source_url", pa.string()),
            ("source_kind", pa.string()),  # SOURCE_KINDS: who published the page read
            ("publisher", pa.string()),  # its publisher (and the original, for a reproduction)
            ("date_note", pa.string()),
            ("entered_by", pa.string()),
            ("entered_at", pa.timestamp("s", tz="UTC")),
            ("supersedes", pa.string()),
        ]
    ),
    "evidence_links": pa.schema(
        [
            ("evidence_id", pa.string()),
            ("rec_id", pa.string()),
            ("reason", pa.string()),  # why the evidence bears on the recommendation (one line)
        ]
    ),
    # A recommendation first imported without its paragraph number (a provisional id such as
    # SVN-3-UNNUMBERED.4) placed on its paragraph once an official numbered file arrived: readers
    # treat everything recorded against the provisional id as recorded against the paragraph.
    "reconciliations": pa.schema(
        [
            ("provisional_id", pa.string()),
            ("rec_id", pa.string()),
            ("score", pa.float32()),  # text similarity of the match (1.0: same text)
            ("file_name", pa.string()),
        ]
    ),
    # The implementation plan (issue: who is responsible, what will be done, by when). A
    # correction of an institution or a plan item is a newer row with the same id: the last one
    # is current (ingest.current.KEYS), the earlier ones stay stored.
    "institutions": pa.schema(
        [
            ("institution_id", pa.string()),  # e.g. INS-2F0C41A9B3D1
            ("sur", pa.string()),  # the State whose institution it is
            ("name_en", pa.string()),
            ("name_km", pa.string()),  # the name in the State's language (Khmer for Cambodia)
            ("kind", pa.string()),  # INSTITUTION_KINDS
            ("entered_by", pa.string()),
            ("entered_at", pa.timestamp("s", tz="UTC")),
        ]
    ),
    "plan_items": pa.schema(
        [
            ("item_id", pa.string()),  # e.g. PLAN-5D3A09E1C2B4
            ("sur", pa.string()),
            ("rec_ids", pa.string()),  # the recommendations it implements, ";"-separated
            ("responsible", pa.string()),  # institution_id of the lead institution
            ("supporting", pa.string()),  # institution_ids, ";"-separated
            ("action", pa.string()),  # the planned action
            ("indicator", pa.string()),
            ("baseline", pa.string()),
            ("target", pa.string()),
            ("timeline", pa.string()),  # the timeline as the plan words it ("2025-2027")
            ("due_date", pa.date32()),  # last day of that period (null: no date, "ongoing")
            ("due_precision", pa.string()),  # DUE_PRECISIONS
            ("source_document", pa.string()),  # the plan it comes from (title, symbol or link)
            ("note", pa.string()),  # for a correction: what was corrected and why
            ("withdrawn", pa.bool_()),  # true: the item is no longer part of the plan
            ("entered_by", pa.string()),
            ("entered_at", pa.timestamp("s", tz="UTC")),
        ]
    ),
    # Progress reported on a plan item; the latest report (by date, then entry) is its status.
    "plan_progress": pa.schema(
        [
            ("progress_id", pa.string()),
            ("item_id", pa.string()),
            ("status", pa.string()),  # PLAN_STATUSES
            ("date", pa.date32()),
            ("note", pa.string()),
            ("reported_by", pa.string()),  # who says so: the ministry, the NMRF, a monitor
            ("evidence_id", pa.string()),  # evidence that bears it out (optional)
            ("assessment_id", pa.string()),  # an assessment it rests on (optional)
            ("entered_by", pa.string()),
            ("entered_at", pa.timestamp("s", tz="UTC")),
            ("supersedes", pa.string()),
        ]
    ),
    # One row per write: who changed what, when, and from which file.
    "audit": pa.schema(
        [
            ("audit_id", pa.string()),
            ("at", pa.timestamp("s", tz="UTC")),
            ("who", pa.string()),  # e-mail of the signed-in editor, or "command line: <user>"
            ("access", pa.string()),  # editor | admin | command_line
            ("action", pa.string()),  # add_assessment | add_evidence | import | curate_tags ...
            ("summary", pa.string()),  # e.g. "3 assessments (KHM-2-118.1, ...)"
            ("rows", pa.int32()),
            ("file_name", pa.string()),
            ("file_sha256", pa.string()),
        ]
    ),
}


def empty_table(name: str) -> pa.Table:
    return TABLES[name].empty_table()
