"""`unknot serve`: loopback by default, a warning otherwise, and a page that really loads."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import io
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from patience import HANG
from tools import require_tool

from tui.serve import app_command, exposure_warning, is_loopback, public_url, serve

PROC = Path("/proc/self/stat").exists()
DEADLINE = HANG
"""Seconds an app process may outlive its browser before a test fails (a healthy one ends in
about one; this is only for a hang)."""
HEADLESS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
"""A quiet headless browser: no GPU, no QUIC, and no background traffic of its own."""


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_hosts_get_no_warning(host: str) -> None:
    assert is_loopback(host)
    assert exposure_warning(host, 8000) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.org", ""])
def test_other_hosts_get_a_warning(host: str) -> None:
    assert not is_loopback(host)
    warning = exposure_warning(host, 8123)
    assert warning is not None
    assert "Anyone who can reach" in warning and "8123" in warning


def test_the_page_connects_back_to_a_reachable_address() -> None:
    assert public_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert public_url("::1", 9000) == "http://[::1]:9000"
    # a wildcard address is not one a browser can use: the machine's name is
    assert public_url("0.0.0.0", 8000) == f"http://{socket.gethostname()}:8000"


def test_the_app_command_keeps_odd_paths_in_one_piece() -> None:
    command = app_command(["/tmp/my routines/it's here.toml"])
    assert shlex.split(command) == [
        sys.executable,
        "-m",
        "tui",
        "run",
        "/tmp/my routines/it's here.toml",
    ]


class _FakeServer:
    made: ClassVar[list[dict[str, Any]]] = []

    def __init__(self, command: str, **kwargs: Any) -> None:
        self.made.append({"command": command, **kwargs})

    def serve(self) -> None:
        if self.made[-1]["port"] == 1:
            raise PermissionError(13, "Permission denied")


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> type[_FakeServer]:
    import textual_serve.server

    _FakeServer.made = []
    monkeypatch.setattr(textual_serve.server, "Server", _FakeServer)
    return _FakeServer


def test_serve_binds_loopback_by_default_and_warns_for_nothing(
    fake_server: type[_FakeServer],
) -> None:
    err = io.StringIO()
    assert serve(err=err) == 0
    assert err.getvalue() == ""
    made = fake_server.made[0]
    assert made["host"] == "127.0.0.1"
    assert made["title"] == "unknot"


def test_serve_on_an_open_host_warns_first(fake_server: type[_FakeServer]) -> None:
    err = io.StringIO()
    assert serve(["tiny"], host="0.0.0.0", port=8765, err=err) == 0
    assert err.getvalue().startswith("Warning: serving on 0.0.0.0:8765")
    assert shlex.split(fake_server.made[0]["command"])[-2:] == ["run", "tiny"]


def test_a_port_it_cannot_take_is_one_clear_line(fake_server: type[_FakeServer]) -> None:
    err = io.StringIO()
    assert serve(port=1, err=err) == 1
    assert err.getvalue() == "unknot serve: cannot listen on 127.0.0.1:1: Permission denied\n"


def test_textual_serve_is_not_imported_until_serve_runs() -> None:
    code = (
        "import sys, tui.cli; tui.cli.build_parser(); "
        "print('textual_serve' in sys.modules, 'aiohttp' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str) -> str:
    """The page at `url`, waiting for the server to come up (HANG at most)."""
    deadline = time.monotonic() + HANG
    while True:
        try:
            with urllib.request.urlopen(url, timeout=HANG) as response:
                body: bytes = response.read()
                return body.decode("utf-8")
        except (urllib.error.URLError, ConnectionError) as error:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"nothing answered at {url} in {HANG:.0f} s: {error}"
                ) from None
            time.sleep(0.1)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A real `unknot serve` on a free loopback port; stopped with SIGTERM afterwards, and
    whatever is left of its process group (an app a failing test left running) with SIGKILL."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield port, process
    finally:
        with _suppress_gone():
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(HANG)
        with _suppress_gone():
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class _suppress_gone:
    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, *_: object) -> bool:
        return kind is ProcessLookupError


def test_the_page_loads_over_http_with_the_apps_name(
    server: tuple[int, subprocess.Popen[bytes]],
) -> None:
    port, process = server
    page = _get(f"http://127.0.0.1:{port}/")
    assert "unknot" in page
    assert f"ws://127.0.0.1:{port}/ws" in page
    assert process.poll() is None


async def _browse(
    chromium: str, url: str, profile: Path, *, leave: str = "close"
) -> tuple[str, bytes]:
    """Open `url` in headless Chromium over the DevTools protocol; wait (bounded) for the app's
    first bytes to reach the page; return the body's classes and a PNG screenshot.

    The browser then leaves as asked: "close" (SIGTERM, it shuts down in order) or "crash"
    (SIGKILL, its connections just drop, as a phone's do when it loses the network)."""
    import aiohttp

    port = _free_port()
    browser = subprocess.Popen(
        [
            chromium,
            *HEADLESS,
            f"--user-data-dir={profile}",
            f"--remote-debugging-port={port}",
            "--window-size=1000,640",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        async with aiohttp.ClientSession() as http:
            targets: list[dict[str, Any]] = []
            deadline = time.monotonic() + HANG
            while not any(t["type"] == "page" for t in targets):
                assert time.monotonic() < deadline, f"Chromium showed no page: {targets}"
                with contextlib.suppress(aiohttp.ClientError):
                    async with http.get(f"http://127.0.0.1:{port}/json/list") as answer:
                        targets = await answer.json()
                await asyncio.sleep(0.1)
            page = next(t for t in targets if t["type"] == "page")
            async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                calls = 0

                async def call(method: str, **params: Any) -> dict[str, Any]:
                    nonlocal calls
                    calls += 1
                    await ws.send_json({"id": calls, "method": method, "params": params})
                    while True:
                        message = await asyncio.wait_for(ws.receive_json(), HANG)
                        if message.get("id") == calls:
                            result: dict[str, Any] = message.get("result", {})
                            return result

                await call("Page.navigate", url=url)
                classes = ""
                deadline = time.monotonic() + HANG
                while "-first-byte" not in classes and time.monotonic() < deadline:
                    found = await call("Runtime.evaluate", expression="document.body.className")
                    classes = str(found.get("result", {}).get("value", ""))
                    await asyncio.sleep(0.1)
                shot = await call("Page.captureScreenshot", format="png")
                return classes, base64.b64decode(shot["data"])
    finally:
        if leave == "crash":
            browser.kill()
        else:
            browser.terminate()
        browser.wait(HANG)


def _app_processes(group: int) -> list[str]:
    """The app processes (`python -m tui run`, and the shell that starts it) still alive in
    process group `group`, read from /proc."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # gone meanwhile
        state, _parent, process_group = stat.rsplit(")", 1)[1].split()[:3]
        if int(process_group) == group and state != "Z" and "-m tui run" in command:
            alive.append(f"{entry.name}: {command.strip()}")
    return alive


def _survivors(group: int) -> list[str]:
    """The app processes of `group` still alive once DEADLINE has passed (polled, so a run that
    ends at once returns at once)."""
    end = time.monotonic() + DEADLINE
    while (alive := _app_processes(group)) and time.monotonic() < end:
        time.sleep(0.2)
    return alive


@pytest.mark.skipif(not PROC, reason="no /proc to look for processes in")
@pytest.mark.parametrize("leave", ["close", "crash"])
async def test_a_real_browser_shows_the_app_and_leaves_no_process_behind(
    server: tuple[int, subprocess.Popen[bytes]], tmp_path: Path, leave: str
) -> None:
    chromium = require_tool("chromium")
    port, process = server
    _get(f"http://127.0.0.1:{port}/")
    url = f"http://127.0.0.1:{port}/"
    classes, png = await _browse(chromium, url, tmp_path / "profile", leave=leave)
    # textual.js marks the page when the app's first output arrives over the websocket
    assert "-first-byte" in classes
    assert png.startswith(b"\x89PNG")
    (tmp_path / "browser.png").write_bytes(png)
    assert _survivors(process.pid) == []


@pytest.mark.skipif(not PROC, reason="no /proc to look for processes in")
def test_a_browser_that_takes_a_screenshot_and_goes_leaves_no_process_behind(
    server: tuple[int, subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    # Chromium's own --screenshot: it opens the page, resizes the terminal to fit and is gone
    # while the app is still starting. The app used to spin at full CPU for ever after it.
    chromium = require_tool("chromium")
    port, process = server
    _get(f"http://127.0.0.1:{port}/")
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            chromium,
            *HEADLESS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=8000",
            "--window-size=1000,700",
            f"--screenshot={shot}",
            f"http://127.0.0.1:{port}/",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=HANG,
        check=False,
    )
    assert shot.read_bytes().startswith(b"\x89PNG")
    assert _survivors(process.pid) == []


@pytest.mark.skipif(not PROC, reason="no /proc to look for processes in")
async def test_a_connection_dropped_without_a_close_frame_leaves_no_process_behind(
    server: tuple[int, subprocess.Popen[bytes]],
) -> None:
    import aiohttp

    port, process = server
    _get(f"http://127.0.0.1:{port}/")
    async with aiohttp.ClientSession() as http:
        socket_ = await http.ws_connect(f"http://127.0.0.1:{port}/ws?width=100&height=30")
        await socket_.send_str('["resize", {"width": 90, "height": 28}]')
        for _ in range(100):  # the app's first output, then the network goes
            message = await asyncio.wait_for(socket_.receive(), DEADLINE)
            if message.type == aiohttp.WSMsgType.BINARY:
                break
        connection = socket_._response.connection
        assert connection is not None and connection.transport is not None
        connection.transport.abort()
    assert _survivors(process.pid) == []
