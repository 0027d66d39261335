"""`unknot serve` draws the figure in the browser as in a terminal: the same app, the same
braille dots, sent over the page's websocket."""

from __future__ import annotations

import asyncio
import re
import subprocess
import time

import pytest
from patience import HANG
from test_serve import PROC, _get, _survivors, server  # noqa: F401 (server is a fixture)

BRAILLE = re.compile("[\u2801-\u28ff]{4,}")
"""Four dots cells in a row: a line of a figure (nothing else in the app draws braille)."""


@pytest.mark.skipif(not PROC, reason="no /proc to look for processes in")
async def test_the_browser_gets_the_figure(
    server: tuple[int, subprocess.Popen[bytes]],  # noqa: F811
) -> None:
    import aiohttp

    port, process = server
    _get(f"http://127.0.0.1:{port}/")
    received = b""
    async with aiohttp.ClientSession() as http:
        socket_ = await http.ws_connect(f"http://127.0.0.1:{port}/ws?width=100&height=30")
        await socket_.send_str('["resize", {"width": 100, "height": 30}]')
        deadline = time.monotonic() + HANG
        while not BRAILLE.search(received.decode("utf-8", "replace")):
            assert time.monotonic() < deadline, f"no figure in {received[-2000:]!r}"
            message = await asyncio.wait_for(socket_.receive(), HANG)
            if message.type == aiohttp.WSMsgType.BINARY:
                received += message.data
            elif message.type != aiohttp.WSMsgType.TEXT:
                raise AssertionError(f"the connection ended: {message.type}; {received[-500:]!r}")
        await socket_.close()
    assert _survivors(process.pid) == []
