"""Who may write. Viewers need no account; editors and admins are listed by e-mail in the app's
secrets (`[access] editors = [...]`, `admins = [...]`); anyone else who signs in can only read.

An e-mail claim gives write access only when the identity provider vouches for it: the ID token
says `email_verified: true`, or the token comes from an issuer the administrator listed under
`[access] verified_email_issuers` because that provider only issues addresses it has verified
(and the token does not say `email_verified: false`). Nothing else in the token is matched: an
account whose subject (`sub`) happens to be an editor's address gets no more than a viewer.
What is recorded for a write is the e-mail with the provider's subject and issuer beside it.

Every write function takes a `Writer` and calls `require_writer` itself, so a write is refused
server-side whatever the page shows.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class NotAllowed(PermissionError):
    """The person is not allowed to change the store."""


MAX_CLAIM = 255  # characters kept of a subject or issuer in the record
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,253}")


@dataclass(frozen=True)
class Access:
    editors: frozenset[str] = frozenset()
    admins: frozenset[str] = frozenset()
    # Issuers (`iss`) whose e-mail claims are verified by the provider's own policy although
    # their tokens carry no `email_verified` claim (e.g. a single-tenant Entra ID directory).
    verified_issuers: frozenset[str] = frozenset()

    @classmethod
    def from_secrets(cls, secrets: Mapping | None) -> Access:
        section = (secrets or {}).get("access", {}) or {}
        issuers = section.get("verified_email_issuers", ())
        issuers = [issuers] if isinstance(issuers, str) else issuers
        return cls(
            _emails(section.get("editors", ())),
            _emails(section.get("admins", ())),
            frozenset(str(i).strip().rstrip("/") for i in issuers if str(i).strip()),
        )

    def role_of(self, email: str | None) -> str:
        key = (email or "").strip().lower()
        if key and key in self.admins:
            return "admin"
        if key and key in self.editors:
            return "editor"
        return "viewer"


@dataclass(frozen=True)
class Identity:
    """What an ID token says about the person signed in."""

    email: str  # lower case; "" when the token has no usable e-mail claim
    verified: bool  # the provider vouches for the e-mail (see the module's docstring)
    subject: str
    issuer: str

    @classmethod
    def from_claims(cls, claims: Mapping | None, access: Access) -> Identity:
        claims = claims or {}
        raw = claims.get("email")
        email = raw.strip().lower() if isinstance(raw, str) else ""
        if not _EMAIL.fullmatch(email) or _CONTROL.search(email):
            email = ""
        issuer = _claim(claims.get("iss"))
        stated = claims.get("email_verified")
        if isinstance(stated, str):  # some providers send "true" / "false" as strings
            stated = {"true": True, "false": False}.get(stated.strip().lower())
        if stated is True:
            verified = True
        elif stated is None and "email_verified" not in claims:
            verified = issuer.rstrip("/") in access.verified_issuers
        else:
            verified = False
        return cls(email, bool(email) and verified, _claim(claims.get("sub")), issuer)

    def record(self) -> str:
        """'editor@example.org (sub 1234, iss https://accounts.google.com)' for the audit."""
        return (
            f"{self.email or '(no e-mail)'} (sub {self.subject or '?'}, iss {self.issuer or '?'})"
        )


@dataclass(frozen=True)
class Writer:
    """Someone making a change: who is recorded (for a signed-in person, the e-mail with the
    provider's subject and issuer), their access, and the e-mail to show them."""

    who: str
    access: str  # admin | editor | command_line | viewer
    email: str = ""  # the e-mail claim ("" if the token has none)
    unverified: bool = False  # signed in with an e-mail the provider does not vouch for
    subject: str = ""  # the provider's subject, shown when there is no e-mail

    @property
    def shown(self) -> str:
        return self.email or self.subject or self.who

    @classmethod
    def from_identity(cls, identity: Identity, access: Access) -> Writer:
        role = access.role_of(identity.email) if identity.verified else "viewer"
        return cls(
            identity.record(),
            role,
            identity.email,
            unverified=bool(identity.email) and not identity.verified,
            subject=identity.subject,
        )

    @classmethod
    def from_claims(cls, claims: Mapping | None, access: Access) -> Writer:
        return cls.from_identity(Identity.from_claims(claims, access), access)

    @classmethod
    def command_line(cls) -> Writer:
        # Whoever can run commands on the store's machine can already change its files.
        return cls(f"command line: {getpass.getuser()}", "command_line")


def require_writer(writer: Writer | None, *, admin: bool = False) -> None:
    allowed = {"admin", "command_line"} if admin else {"admin", "editor", "command_line"}
    if writer is None or writer.access not in allowed or not writer.who:
        what = "an admin" if admin else "an editor"
        raise NotAllowed(
            f"only {what} can change the store; {writer.shown if writer else 'nobody'} "
            f"is signed in with {writer.access if writer else 'no'} access"
        )


def _claim(value: object) -> str:
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    return _CONTROL.sub("", text).strip()[:MAX_CLAIM]


def _emails(values: Iterable[str] | str) -> frozenset[str]:
    if isinstance(values, str):
        values = [values]
    return frozenset(v.strip().lower() for v in values if v and v.strip())
