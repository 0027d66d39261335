"""`unknot serve`: the same app in a browser, through textual-serve.

textual-serve (and aiohttp under it) costs about a third of a second to import, so it is
imported only here, inside `serve()`, never when unknot starts for anything else; this module
itself is read when the command line is built, so it keeps its own imports light too.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from typing import TextIO

APP_TITLE = "unknot"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MISSING_MESSAGE = (
    "unknot serve needs the textual-serve package: pip install textual-serve "
    "(or install unknot with its 'serve' extra)."
)


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host` ("localhost", 127.x.x.x, ::1)."""
    import ipaddress

    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, port: int) -> str | None:
    """The warning to print when the app is reachable from other machines, else None."""
    if is_loopback(host):
        return None
    return (
        f"Warning: serving on {host}:{port}. Anyone who can reach this address can use unknot "
        "as you, with no password. Use --host 127.0.0.1 to keep it on this machine."
    )


def public_url(host: str, port: int) -> str:
    """The address the page tells the browser to connect back to."""
    if host in ("", "0.0.0.0", "::"):
        import socket

        # a wildcard address is not somewhere a browser can connect to: name the machine
        host = socket.gethostname()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def app_command(run_args: Sequence[str]) -> str:
    """The shell command textual-serve starts for each browser: this Python running `unknot run`."""
    return shlex.join([sys.executable, "-m", "tui", "run", *run_args])


def serve(
    run_args: Sequence[str] = (),
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    err: TextIO | None = None,
) -> int:
    """Serve the app on host:port until Ctrl+C; returns the exit status."""
    err = err if err is not None else sys.stderr
    try:
        from textual_serve.server import Server
    except ImportError:
        print(MISSING_MESSAGE, file=err)
        return 1
    warning = exposure_warning(host, port)
    if warning:
        print(warning, file=err)
    server = Server(
        app_command(run_args),
        host=host,
        port=port,
        title=APP_TITLE,
        public_url=public_url(host, port),
    )
    try:
        server.serve()
    except OSError as error:
        print(f"unknot serve: cannot listen on {host}:{port}: {error.strerror}", file=err)
        return 1
    return 0
