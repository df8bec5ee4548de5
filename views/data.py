"""Data: editors record assessments and evidence, import templates, and curate tags. Viewers
see how to sign in; every write is also refused server-side (upr_data.access)."""

import pandas as pd
import streamlit as st

from ui import auth, data_forms, plan_forms
from ui.safe import md
from upr_data import cached, settings, store
from upr_data.i18n import _

st.title(_("Record progress"))

if not auth.sign_in_configured():
    st.info(
        _(
            "Sign-in is not configured on this server, so the data can be read but not "
            "changed here. An administrator adds an [auth] section and the editors' e-mails "
            "to the app's secrets (see README)."
        )
    )
    st.stop()

writer = auth.writer()
if writer is None:
    st.write(
        _(
            "Viewing needs no account. Editors (NMRF focal points, CSO monitors, embassy "
            "staff) sign in to record assessments and evidence."
        )
    )
    st.button(_("Sign in"), on_click=st.login, type="primary", key="sign_in")
    st.stop()

left, right = st.columns([4, 1])
# The e-mail is the provider's claim: shown as text.
left.caption(md(_("Signed in as {email} ({access} access).", email=writer.shown,
                  access=_(writer.access))))  # fmt: skip
right.button(_("Sign out"), on_click=st.logout, key="sign_out")
if writer.access not in ("editor", "admin"):
    if not writer.email:
        st.warning(
            _(
                "Your sign-in provider gave no e-mail address for this account, so the account "
                "can read but not change the data. Sign in with an account that has one."
            )
        )
    elif writer.unverified:
        st.warning(
            _(
                "Your sign-in provider does not confirm that this e-mail address belongs to "
                "your account, so the account can read but not change the data. Sign in with "
                "an account whose address the provider has verified."
            )
        )
    else:
        st.warning(
            _(
                "Your account can read but not change the data. Ask an administrator to add "
                "your e-mail to the editors."
            )
        )
    st.stop()

target = settings.store_path()
add_assessment, add_evidence, import_file, plan, curate, history = st.tabs(
    [
        _("Add an assessment"),
        _("Add evidence"),
        _("Import a file"),
        _("Implementation plan"),
        _("Curate tags"),
        _("History of changes"),
    ]
)
with add_assessment:
    data_forms.assessment_form(target, writer, cached.lookup("rec_ids"))
with add_evidence:
    data_forms.evidence_form(target, writer, cached.lookup("rec_ids"))
with import_file:
    data_forms.import_form(target, writer)
with plan:
    plan_forms.templates()
    st.header(_("A plan item"))
    plan_forms.item_form(target, writer, cached.lookup("rec_ids"))
    st.header(_("Progress on a plan item"))
    plan_forms.progress_form(target, writer)
    st.header(_("An institution"))
    plan_forms.institution_form(target, writer)
with curate:
    data_forms.curate_form(target, writer, cached.lookup("rec_ids"))
with history:
    audit = store.read_table(target, "audit").to_pandas()
    st.dataframe(
        audit.sort_values("at", ascending=False) if len(audit) else pd.DataFrame(),
        hide_index=True,
        width="stretch",
    )
