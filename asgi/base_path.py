"""The app's page (Streamlit's index.html) told where the server is, so a page's first visit does
not wait for a wrong guess (an ASGI middleware for `st.App`, serve.py).

Streamlit's frontend (1.67) does not know the app's base path. Opened at `/states`, it first
checks `/states/_stcore/health`, gets a 404, waits and then checks `/_stcore/health`: about 0.12 s
of every first visit to any page but the Overview (bench/first_visit.py). The frontend reads a base
URL from `window.__streamlit.BACKEND_BASE_URL` when a host sets one; this middleware sets it in the
HTML of a page's address, to the address's parent, the one the frontend would have settled on.

Only a page's own address gets the hint: one path segment under the server's base path
(`server.baseUrlPath`), asked for by a browser's navigation (`Accept: text/html`). The root, the
`/_stcore` routes, static files and anything deeper pass through untouched: there Streamlit
guesses as before. The hint is resolved in the browser, against the address the reader sees, so it
also holds behind a proxy that serves the app under a prefix of its own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_REPLACED = {b"content-length", b"etag", b"last-modified"}
# Runs before the frontend's module scripts (which run once the document is parsed).
HINT = b'<script>window.__streamlit={BACKEND_BASE_URL:new URL(".",location.href).href}</script>'


def _base_url_path() -> str:
    from streamlit import config

    return (config.get_option("server.baseUrlPath") or "").strip("/")


def is_page_address(scope: Scope, base_url_path: str) -> bool:
    """A browser's navigation to one path segment under the base path (`/states`, `/upr/states`)."""
    if scope.get("type") != "http" or scope.get("method") != "GET":
        return False
    accept = dict(scope.get("headers") or []).get(b"accept", b"")
    if b"text/html" not in accept:
        return False
    path = scope.get("path", "")
    prefix = f"/{base_url_path}" if base_url_path else ""
    if prefix and not path.startswith(prefix + "/"):
        return False
    segment = path[len(prefix) + 1 :] if path.startswith(prefix + "/") else ""
    return bool(segment) and "/" not in segment and "." not in segment and segment[0] != "_"


def with_hint(html: bytes) -> bytes:
    """The page with the hint before its first script; unchanged when it has no script."""
    at = html.find(b"<script")
    return html if at < 0 else html[:at] + HINT + html[at:]


class BasePathHint:
    """ASGI middleware: a page's HTML carries the base URL (see the module's docstring)."""

    def __init__(self, app: ASGIApp, base_url_path: str | None = None) -> None:
        self.app = app
        self.base_url_path = base_url_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.base_url_path is None:  # Streamlit's configuration is read once it is loaded
            self.base_url_path = _base_url_path()
        if not is_page_address(scope, self.base_url_path):
            await self.app(scope, receive, send)
            return
        # Asked for uncompressed, so the HTML can be read and changed (it is 2-5 KB).
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]
        scope = dict(scope, headers=headers)
        start: Message | None = None
        body: list[bytes] = []

        async def send_with_hint(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                content_type = dict(message.get("headers") or []).get(b"content-type", b"")
                if message.get("status") == 200 and content_type.startswith(b"text/html"):
                    start = message  # held until the whole page is read
                    return
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                html = with_hint(b"".join(body))
                # The file's validators do not describe the changed page: without them a browser
                # asks for the page again (it is never cached unasked: no-cache) and gets the hint.
                kept = [(k, v) for k, v in start["headers"] if k.lower() not in _REPLACED]
                await send({**start, "headers": [*kept, (b"content-length", b"%d" % len(html))]})
                await send({"type": "http.response.body", "body": html})
                return
            await send(message)

        await self.app(scope, receive, send_with_hint)
