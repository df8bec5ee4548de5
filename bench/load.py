"""Load: N real sessions over Streamlit's websocket, against one server process or several.

Each session speaks Streamlit's own protocol (protobuf `BackMsg` / `ForwardMsg` on
`/_stcore/stream`), as a browser tab does, without a browser: it opens a page, then moves through
the pages and changes filters (a theme, a response, a cycle) with a random pause of 2-10 s between
actions. A rerun's time is from sending the request to the server's `script_finished`. With
several processes every session stays on the process it started on, as behind a proxy with
sticky sessions (README: "Several servers behind a proxy"); all processes share one lake.

    python bench/load.py [--sessions 10,25,50,100,200] [--processes 1,2] [--seconds 60]

Prints, per (processes, N): reruns, p50/p95/max seconds, errors, throughput (reruns/s), the
servers' CPU (% of one core, summed) and their resident memory at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

PAGES = ["", "explore", "themes", "stakeholders", "states", "progress", "recurring", "present"]
THEMES = ["land_housing", "women", "children", "labour", "expression_media", "justice_fair_trial"]
# Production settings (see .streamlit/config.toml): no file watcher, no full GC after each run.
SERVER_OPTIONS = [
    "--server.headless", "true", "--server.fileWatcherType", "none",
    "--runner.postScriptGC", "false", "--browser.gatherUsageStats", "false",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_servers(count: int, lake: Path) -> list[tuple[subprocess.Popen, int]]:
    servers = []
    for _ in range(count):
        port = free_port()
        command = [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port",
                   str(port), "--server.address", "127.0.0.1", *SERVER_OPTIONS]  # fmt: skip
        env = {**os.environ, "UPR_LAKE": str(lake)}
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)  # fmt: skip
        servers.append((process, port))
    for _, port in servers:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"server on {port} did not start") from None
                time.sleep(0.3)
    return servers


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _action(rng: random.Random) -> tuple[str, str]:
    page = rng.choice(PAGES)
    params = []
    if rng.random() < 0.6:
        params.append(f"theme={rng.choice(THEMES)}")
    if rng.random() < 0.3:
        params.append(f"response={rng.choice(['supported', 'noted'])}")
    if rng.random() < 0.3:
        params.append(f"cycle={rng.choice([1, 2])}")
    return page, "&".join(params)


async def _rerun(ws, page: str, query: str) -> tuple[float, bool]:
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_name = page
    began = time.perf_counter()
    await ws.send(message.SerializeToString())
    failed = False
    while True:
        forward = ForwardMsg()
        forward.ParseFromString(await ws.recv())
        kind = forward.WhichOneof("type")
        if kind == "delta" and forward.delta.new_element.WhichOneof("type") == "exception":
            failed = True
        if kind == "page_not_found":
            failed = True
        if kind == "script_finished":
            return time.perf_counter() - began, failed


async def session(port: int, until: float, seed: int, out: list, errors: list) -> None:
    rng = random.Random(seed)
    try:
        async with websockets.connect(
            f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None,
            open_timeout=60, ping_interval=None,
        ) as ws:  # fmt: skip
            page, query = _action(rng)
            while time.monotonic() < until:
                took, failed = await asyncio.wait_for(_rerun(ws, page, query), 120)
                out.append(took)
                if failed:
                    errors.append(f"error shown on /{page}?{query}")
                await asyncio.sleep(rng.uniform(2, 10))
                page, query = _action(rng)
    except (OSError, TimeoutError, websockets.WebSocketException) as error:
        errors.append(f"{type(error).__name__}: {error}")


async def drive(ports: list[int], n: int, seconds: float) -> tuple[list, list, float]:
    out: list[float] = []
    errors: list[str] = []
    began = time.monotonic()
    until = began + seconds
    tasks = []
    for i in range(n):
        tasks.append(asyncio.create_task(session(ports[i % len(ports)], until, i, out, errors)))
        await asyncio.sleep(min(0.05, seconds / max(n, 1) / 10))  # arrivals over a moment
    await asyncio.gather(*tasks)
    return out, errors, time.monotonic() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", default="10,25,50,100,200")
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    from upr_data import store

    lake = Path(tempfile.mkdtemp(prefix="upr-load-lake-"))
    store.replace_base(lake, store.read_bundled())  # the real bundled data, in a lake of its own
    print(f"lake {lake}; {os.cpu_count()} cores; each step {args.seconds:.0f} s")
    print("processes  N  reruns  p50 s  p95 s  max s  errors  reruns/s  cpu %  MiB")
    for processes in (int(p) for p in args.processes.split(",")):
        servers = start_servers(processes, lake)
        ports = [port for _, port in servers]
        try:
            asyncio.run(drive(ports, processes, 15))  # warm: first visits fill the caches
            for n in (int(s) for s in args.sessions.split(",")):
                cpu0 = sum(cpu_seconds(p.pid) for p, _ in servers)
                times, errors, wall = asyncio.run(drive(ports, n, args.seconds))
                cpu = (sum(cpu_seconds(p.pid) for p, _ in servers) - cpu0) / wall * 100
                memory = sum(rss_mib(p.pid) for p, _ in servers)
                p95 = statistics.quantiles(times, n=20)[18] if len(times) >= 20 else max(times)
                print(
                    f"{processes:9d} {n:3d} {len(times):7d} {statistics.median(times):6.2f} "
                    f"{p95:6.2f} {max(times):6.2f} {len(errors):7d} {len(times) / wall:9.1f} "
                    f"{cpu:6.0f} {memory:5.0f}"
                )
                for error in sorted(set(errors))[:3]:
                    print(f"    {error}")
        finally:
            for process, _ in servers:
                process.terminate()
                process.wait(20)


if __name__ == "__main__":
    main()
