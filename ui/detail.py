"""One recommendation in full: States, response history, tags with provenance, assessments by
role side by side, and the evidence timeline with sources.

Everything here comes from the store (official files, editors' entries, imports): it is shown as
text through ui.safe, and a source is a link only when ui.safe.link rebuilt its address.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import safe
from ui.safe import md, text_block
from upr_data import cached, recurrence, schema, taxonomy
from upr_data.filters import STATUS_CHOICES
from upr_data.i18n import _, ngettext
from upr_data.tables import format_date


def _given(value: object) -> str:
    """A stored text, or "" for a null (None or NaN) or blank one."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def _published_by(publisher: object, kind: object) -> str:
    """'Phnom Penh Post (Media)', 'Media' or 'Phnom Penh Post', as text (not yet escaped)."""
    who, code = _given(publisher), _given(kind)
    label = _(schema.SOURCE_KINDS[code]) if code in schema.SOURCE_KINDS else code
    if who and label:
        return _("{publisher} ({kind})", publisher=who, kind=label)
    return who or label


def _assessment_source(source: object, location: object) -> str:
    """Where an assessment says it comes from, as text (not yet escaped), or ""."""
    document, where = _given(source), _given(location)
    if document and where:
        return _("Source: {source}, {location}", source=document, location=where)
    if document:
        return _("Source: {source}", source=document)
    if where:
        return _("Where in the source: {location}", location=where)
    return ""


def show(rec_id: str) -> None:
    detail = cached.lookup("recommendation", rec_id)
    if detail is None:
        safe.warning(_("No recommendation {rec_id} in the store.", rec_id=rec_id))
        return
    rec = detail["recommendation"].iloc[0]
    st.header(
        md(
            _(
                "{rec_id}: cycle {cycle}, paragraph {paragraph}",
                rec_id=rec.rec_id,
                cycle=rec.cycle,
                paragraph=rec.paragraph,
            )
        )
    )
    with st.container(border=True):
        st.markdown(text_block(rec.text))
    safe.caption(_("Source: {source}", source=rec.text_source))
    links = cached.recurrence_links()
    mine = links[links["rec_id"] == rec.rec_id] if not links.empty else links
    if len(mine):
        cycles = sorted({int(other.split("-")[1]) for other in mine["other_rec_id"]})
        safe.info(ngettext("Also recommended in cycle {cycles}: {ids}",
                           "Also recommended in cycles {cycles}: {ids}", len(cycles),
                           cycles=", ".join(map(str, cycles)),
                           ids=", ".join(f"{o} ({recurrence.similarity(s)})" for o, s in
                                         zip(mine["other_rec_id"], mine["score"], strict=True))),
                  icon=":material/repeat:")  # fmt: skip

    left, right = st.columns(2)
    with left:
        st.markdown("**" + _("Recommending States") + "**")
        states = detail["states"]
        st.markdown(
            md("; ".join(f"{r.name} ({r.iso3}, {r.regional_group})" for r in states.itertuples()))
        )
        st.markdown("**" + _("Response and its history") + "**")
        for r in detail["history"].itertuples():
            stage = _("at adoption") if r.stage == "adoption" else _("later")
            response = _(schema.RESPONSES.get(r.response, r.response))
            line = f"{r.seq}. {response} ({stage})" + (f" — {r.note}" if r.note else "")
            st.markdown(md(line) + (f"  \n*{md(r.source)}*" if r.source else ""))
    with right:
        st.markdown("**" + _("Tags and where they come from") + "**")
        tags = detail["tags"]
        for r in tags.itertuples():
            vocabulary = taxonomy.SCHEMES.get(r.scheme, {})
            label = _(vocabulary.get(r.code, r.label))
            mark = "" if r.in_effect else " " + _("(overridden)")
            st.markdown(f"{md(_(r.scheme.replace('_', ' ')))}: **{md(label)}**{md(mark)}")
            st.caption(safe.tag_provenance(r.provenance, r.rule))

    st.markdown("**" + _("Assessments by stakeholder role") + "**")
    assessments = detail["assessments"]
    columns = st.columns(len(schema.ROLES))
    for column, (role, role_label) in zip(columns, schema.ROLES.items(), strict=True):
        with column:
            st.markdown(f"*{_(role_label)}*")
            mine = assessments[assessments["assessor_role"] == role]
            if mine.empty:
                st.caption(_("Not assessed"))
            for r in mine.itertuples():  # newest first; corrected rows stay visible, struck out
                status = md(_(STATUS_CHOICES.get(r.status, r.status)))
                when = format_date(r.date, _given(r.date_precision) or "day")
                line = f"**{status}** {md(f'({when}, {r.assessor_org})')} · {md(r.assessment_id)}"
                if r.superseded:
                    st.caption(f"~~{line}~~ " + md(_("(corrected)")))
                else:
                    st.markdown(line)
                    if r.rationale:
                        st.markdown(text_block(r.rationale))
                    source = _assessment_source(r.source, r.source_location)
                    if source:
                        safe.caption(source)
                    if getattr(r, "evidence_url", None):
                        st.markdown(safe.link(_("Evidence"), r.evidence_url))

    st.markdown("**" + _("Evidence timeline") + "**")
    evidence = detail["evidence"]
    if evidence.empty:
        st.caption(_("No evidence is recorded for this recommendation yet."))
    for r in evidence.itertuples():
        direction = _(schema.DIRECTIONS.get(r.direction, r.direction))
        role = _(schema.ROLES.get(r.role, r.role))
        lines = [
            f"**{md(format_date(r.date, r.date_precision))}** · {md(direction)} · "
            f"{md(f'{role} ({r.actor})')}: {md(r.summary)}"
        ]
        reason = _given(r.reason)
        if reason:
            lines.append(
                "*" + md(_("Why it bears on this recommendation: {reason}", reason=reason)) + "*"
            )
        by = _published_by(r.publisher, r.source_kind)
        lines.append((md(by) + " · " if by else "") + safe.link(r.source_title, r.source_url))
        st.markdown("  \n".join(lines))
