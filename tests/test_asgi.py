"""The server's edge (asgi/, serve.py's middleware): each connection sends at once, and a page's
HTML tells the frontend where the server is. Real uvicorn on a socket bound as Streamlit binds it,
and Starlette's own middleware around ours, as in st.App."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route
from streamlit.web.server.starlette.starlette_server import _bind_socket
from websockets.sync.client import connect

from asgi.base_path import HINT, BasePathHint, is_page_address, with_hint
from asgi.no_delay import NoDelay, _transport


async def report_no_delay(scope, receive, send):
    """Answers with the TCP_NODELAY of the server's end of the connection, over HTTP or a
    websocket."""
    if scope["type"] == "lifespan":
        return
    sock = _transport(receive, send).get_extra_info("socket")
    flag = str(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": flag.encode()})
    else:
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": flag})
        await send({"type": "websocket.close"})


def serve(app) -> tuple[uvicorn.Server, int]:
    """uvicorn in a thread, on a listening socket made by Streamlit's own function (stopped by
    `server.should_exit = True`)."""
    sock = _bind_socket("127.0.0.1", 0, 100)
    server = uvicorn.Server(
        uvicorn.Config(app, lifespan="off", ws="websockets-sansio", log_level="warning")
    )
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    for _ in range(200):
        if server.started:
            return server, sock.getsockname()[1]
        time.sleep(0.02)
    raise AssertionError("uvicorn did not start")


@pytest.mark.parametrize("with_middleware", [False, True])
def test_each_connection_sends_without_waiting_for_an_acknowledgement(with_middleware):
    # As in st.App: Starlette's error middleware (which wraps `send`) outside the user's.
    inner = NoDelay(report_no_delay) if with_middleware else report_no_delay
    server, port = serve(ServerErrorMiddleware(inner))
    try:
        with httpx.Client() as client:  # one connection, used twice
            answers = [client.get(f"http://127.0.0.1:{port}/").text for _ in range(2)]
        with connect(f"ws://127.0.0.1:{port}/stream") as ws:
            answers.append(ws.recv())
    finally:
        server.should_exit = True
    if with_middleware:
        assert answers == ["1", "1", "1"]
    else:
        # Why the middleware exists: Streamlit 1.67's listening socket has protocol 0, so
        # asyncio leaves Nagle's algorithm on. If this fails, Streamlit sets it: NoDelay can go.
        assert answers == ["0", "0", "0"]


INDEX = (
    "<!doctype html><html><head><title>Streamlit</title>"
    "<script>window.prerenderReady = false</script>"
    '<script type="module" src="./static/js/index.js"></script></head>'
    '<body><div id="root"></div>' + "<!-- padding -->" * 100 + "</body></html>"
)


def streamlit_like(base_url_path: str = "") -> Starlette:
    """Streamlit's page for every address, its health check, a static file; gzip as Streamlit's."""

    async def page(request):
        return HTMLResponse(INDEX, headers={"ETag": '"file"', "Cache-Control": "no-cache"})

    async def health(request):
        return PlainTextResponse("ok")

    async def script(request):
        return PlainTextResponse("export {}", media_type="text/javascript")

    app = Starlette(
        routes=[
            Route("/{any:path}/_stcore/health", health),
            Route("/_stcore/health", health),
            Route("/static/js/index.js", script),
            Route("/{any:path}", page),
        ],
        middleware=[Middleware(GZipMiddleware, minimum_size=100)],
    )
    return BasePathHint(app, base_url_path=base_url_path)


NAVIGATION = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8", "Accept-Encoding": "gzip"}


@pytest.fixture
def client():
    """A client of `streamlit_like(base_url_path)` served by uvicorn: `client(base_url_path)`."""
    servers = []

    def start(base_url_path: str = "") -> httpx.Client:
        server, port = serve(streamlit_like(base_url_path))
        servers.append(server)
        return httpx.Client(base_url=f"http://127.0.0.1:{port}")

    yield start
    for server in servers:
        server.should_exit = True


def test_a_pages_html_names_the_apps_root_before_the_frontends_scripts_run(client):
    answer = client().get("/states?theme=land_housing", headers=NAVIGATION)
    assert answer.status_code == 200
    html = answer.text
    assert HINT.decode() in html
    assert html.index(HINT.decode()) < html.index("<script>window.prerenderReady")
    assert html.replace(HINT.decode(), "") == INDEX  # nothing else changed
    assert "content-encoding" not in answer.headers
    assert int(answer.headers["content-length"]) == len(answer.content)
    assert "etag" not in answer.headers  # the file's validator no longer describes it
    assert answer.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(
    "path, headers",
    [
        ("/", NAVIGATION),  # the root: the frontend's only guess is right
        ("/states/_stcore/health", NAVIGATION),
        ("/static/js/index.js", NAVIGATION),
        ("/states/extra", NAVIGATION),  # deeper: left to Streamlit
        ("/states", {"Accept": "*/*", "Accept-Encoding": "gzip"}),  # a script's fetch
    ],
)
def test_everything_but_a_pages_address_passes_untouched(client, path, headers):
    answer = client().get(path, headers=headers)
    assert HINT.decode() not in answer.text
    if path.endswith(("/states", "/states/extra", "/")):
        assert answer.text == INDEX
        assert answer.headers.get("content-encoding") == "gzip"  # as Streamlit sends it


def test_under_a_base_path_only_its_pages_get_the_hint(client):
    under = client("upr")
    assert HINT.decode() in under.get("/upr/states", headers=NAVIGATION).text
    assert HINT.decode() not in under.get("/upr", headers=NAVIGATION).text
    assert HINT.decode() not in under.get("/states", headers=NAVIGATION).text


def test_which_addresses_are_a_pages():
    def scope(path, method="GET", accept=b"text/html"):
        return {"type": "http", "method": method, "path": path, "headers": [(b"accept", accept)]}

    assert is_page_address(scope("/explore"), "")
    assert not is_page_address(scope("/explore", method="HEAD"), "")
    assert not is_page_address(scope("/favicon.png"), "")
    assert not is_page_address(scope("/_stcore"), "")
    assert not is_page_address(scope("/explore", accept=b"application/json"), "")
    assert not is_page_address({"type": "websocket", "path": "/explore", "headers": []}, "")
    assert is_page_address(scope("/upr/explore"), "upr")
    assert not is_page_address(scope("/uprx/explore"), "upr")
    assert with_hint(b"<html>no script</html>") == b"<html>no script</html>"


def test_the_server_uses_both_in_this_order():
    # serve.py's st.App: Nagle off first, for every request and websocket; then the hint.
    import serve

    assert [m.cls for m in serve.app._user_middleware] == [NoDelay, BasePathHint]
