"""Every connection's responses sent at once (TCP_NODELAY), as asyncio means them to be.

asyncio turns Nagle's algorithm off on the sockets it accepts, but only on sockets created with
protocol `IPPROTO_TCP`; Streamlit 1.67 binds its listening socket with protocol 0
(`socket.socket(family)`, starlette_server._bind_socket), so the connections it accepts keep
Nagle on. A response written in two parts (headers, then the body; or the body's last short
piece) then waits for the browser to acknowledge the first, which a browser delays by up to 40 ms
on a connection it reuses: on this machine every JavaScript module of the frontend but the first
on each of the browser's six connections took ~44 ms instead of ~2 ms, and so did the small
messages of the websocket (bench/README.md). The middleware sets the option on the connection of
every request and websocket it sees, before the answer is written.

uvicorn's `receive` and `send` are methods of the connection's protocol (or of its request
cycle), which holds the asyncio transport; Starlette wraps `send` for its error page, not
`receive`. Where neither reaches a transport (another server), the middleware does nothing.
"""

from __future__ import annotations

import socket

from asgi.base_path import ASGIApp, Receive, Scope, Send


def _transport(*channels: Receive | Send):
    for channel in channels:
        transport = getattr(getattr(channel, "__self__", None), "transport", None)
        if transport is not None:
            return transport
    return None


def set_no_delay(receive: Receive, send: Send) -> bool:
    """Nagle off on the connection behind uvicorn's `receive` or `send`; False where neither
    reaches one."""
    transport = _transport(receive, send)
    sock = transport.get_extra_info("socket") if transport is not None else None
    if sock is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return False
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:  # closed meanwhile
        return False
    return True


class NoDelay:
    """ASGI middleware: TCP_NODELAY on each connection (see the module's docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") in ("http", "websocket"):
            set_no_delay(receive, send)
        await self.app(scope, receive, send)
