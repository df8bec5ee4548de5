"""One recommendation in full: States, response history, tags with provenance, assessments by
role side by side, and the evidence timeline with sources."""

from __future__ import annotations

import streamlit as st

from upr_data import cached, schema, taxonomy
from upr_data.filters import STATUS_CHOICES
from upr_data.i18n import _, ngettext
from upr_data.tables import format_date


def show(rec_id: str) -> None:
    detail = cached.lookup("recommendation", rec_id)
    if detail is None:
        st.warning(_("No recommendation {rec_id} in the store.", rec_id=rec_id))
        return
    rec = detail["recommendation"].iloc[0]
    st.subheader(
        _(
            "{rec_id}: cycle {cycle}, paragraph {paragraph}",
            rec_id=rec.rec_id,
            cycle=rec.cycle,
            paragraph=rec.paragraph,
        )
    )
    st.markdown(f"> {rec.text}")
    st.caption(_("Source: {source}", source=rec.text_source))
    links = cached.recurrence_links()
    mine = links[links["rec_id"] == rec.rec_id] if not links.empty else links
    if len(mine):
        cycles = sorted({int(other.split("-")[1]) for other in mine["other_rec_id"]})
        st.info(ngettext("Also recommended in cycle {cycles}: {ids}",
                         "Also recommended in cycles {cycles}: {ids}", len(cycles),
                         cycles=", ".join(map(str, cycles)),
                         ids=", ".join(f"{o} ({s:.2f})" for o, s in
                                       zip(mine["other_rec_id"], mine["score"], strict=True))),
                icon=":material/repeat:")  # fmt: skip

    left, right = st.columns(2)
    with left:
        st.markdown("**" + _("Recommending States") + "**")
        states = detail["states"]
        st.write("; ".join(f"{r.name} ({r.iso3}, {r.regional_group})" for r in states.itertuples()))
        st.markdown("**" + _("Response and its history") + "**")
        for r in detail["history"].itertuples():
            stage = _("at adoption") if r.stage == "adoption" else _("later")
            line = f"{r.seq}. {_(schema.RESPONSES[r.response])} ({stage})"
            st.markdown(line + (f" — {r.note}" if r.note else "") + f"  \n*{r.source}*")
    with right:
        st.markdown("**" + _("Tags and where they come from") + "**")
        tags = detail["tags"]
        for r in tags.itertuples():
            vocabulary = taxonomy.SCHEMES.get(r.scheme, {})
            label = _(vocabulary.get(r.code, r.label))
            mark = "" if r.in_effect else " " + _("(overridden)")
            st.markdown(
                f"- {_(r.scheme.replace('_', ' '))}: **{label}**{mark}  \n"
                f"  <small>{r.provenance}: {r.rule}</small>",
                unsafe_allow_html=False,
            )

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
                line = (f"**{_(STATUS_CHOICES[r.status])}** ({format_date(r.date, 'day')}, "
                        f"{r.assessor_org}) · {r.assessment_id}")  # fmt: skip
                if r.superseded:
                    st.caption(f"~~{line}~~ " + _("(corrected)"))
                else:
                    st.markdown(f"{line}  \n{r.rationale or ''}")

    st.markdown("**" + _("Evidence timeline") + "**")
    evidence = detail["evidence"]
    if evidence.empty:
        st.caption(_("No evidence is recorded for this recommendation yet."))
    for r in evidence.itertuples():
        st.markdown(
            f"**{format_date(r.date, r.date_precision)}** · {_(schema.DIRECTIONS[r.direction])} · "
            f"{_(schema.ROLES[r.role])} ({r.actor}): {r.summary}  \n"
            f"[{r.source_title}]({r.source_url})"
        )
