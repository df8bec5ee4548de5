"""Who may write. Viewers need no account; editors and admins are listed by e-mail in the app's
secrets (`[access] editors = [...]`, `admins = [...]`); anyone else who signs in can only read.

Every write function takes a `Writer` and calls `require_writer` itself, so a write is refused
server-side whatever the page shows.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class NotAllowed(PermissionError):
    """The person is not allowed to change the store."""


@dataclass(frozen=True)
class Access:
    editors: frozenset[str] = frozenset()
    admins: frozenset[str] = frozenset()

    @classmethod
    def from_secrets(cls, secrets: Mapping | None) -> Access:
        section = (secrets or {}).get("access", {}) or {}
        return cls(_emails(section.get("editors", ())), _emails(section.get("admins", ())))

    def role_of(self, email: str | None) -> str:
        key = (email or "").strip().lower()
        if key and key in self.admins:
            return "admin"
        if key and key in self.editors:
            return "editor"
        return "viewer"


@dataclass(frozen=True)
class Writer:
    """Someone making a change: the signed-in e-mail (or the command-line user) and their access."""

    who: str
    access: str  # admin | editor | command_line | viewer

    @classmethod
    def signed_in(cls, email: str | None, access: Access) -> Writer:
        return cls((email or "").strip().lower(), access.role_of(email))

    @classmethod
    def command_line(cls) -> Writer:
        # Whoever can run commands on the store's machine can already change its files.
        return cls(f"command line: {getpass.getuser()}", "command_line")


def require_writer(writer: Writer | None, *, admin: bool = False) -> None:
    allowed = {"admin", "command_line"} if admin else {"admin", "editor", "command_line"}
    if writer is None or writer.access not in allowed or not writer.who:
        what = "an admin" if admin else "an editor"
        raise NotAllowed(
            f"only {what} can change the store; {writer.who if writer else 'nobody'} "
            f"is signed in with {writer.access if writer else 'no'} access"
        )


def _emails(values: Iterable[str] | str) -> frozenset[str]:
    if isinstance(values, str):
        values = [values]
    return frozenset(v.strip().lower() for v in values if v and v.strip())
