"""Sign-in with Streamlit's native OpenID Connect (`st.login`) and the writer it makes."""

from __future__ import annotations

import streamlit as st

from upr_data.access import Access, Writer


def _secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets file at all: nobody can sign in, everybody can read
        return {}


def sign_in_configured() -> bool:
    return "auth" in _secrets()


def access() -> Access:
    return Access.from_secrets(_secrets())


def signed_in_email() -> str | None:
    if not sign_in_configured() or not st.user.is_logged_in:
        return None
    return st.user.get("email") or st.user.get("sub")


def writer() -> Writer | None:
    """The signed-in person as a writer (with viewer access if not listed), or None."""
    email = signed_in_email()
    return Writer.signed_in(email, access()) if email else None
