"""Sign-in with Streamlit's native OpenID Connect (`st.login`) and the writer it makes.

`st.user` holds the claims of the provider's ID token (email, email_verified, sub, iss, ...);
upr_data.access decides from them, and only from the e-mail claim the provider vouches for,
whether the person may write.
"""

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


def claims() -> dict | None:
    """The signed-in person's ID token claims, or None."""
    if not sign_in_configured() or not st.user.is_logged_in:
        return None
    return dict(st.user.to_dict())


def writer() -> Writer | None:
    """The signed-in person as a writer (viewer access unless a verified e-mail is listed)."""
    found = claims()
    return None if found is None else Writer.from_claims(found, access())
