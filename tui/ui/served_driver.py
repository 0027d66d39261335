"""The driver the app runs on under `unknot serve`: Textual's web driver, made sure to end.

textual-serve starts one `unknot run` for each browser tab and talks to it over its stdin and
stdout. When the tab goes, the server sends "quit"; when the server itself goes (killed, or
crashed), stdin simply ends. Textual's web driver turns the first into an exit and ignores the
second, so the app would live on with nobody to show it to. Here both end the app, and either
way the process is gone `GRACE` seconds later even if the app's shutdown is stuck: that clock
is a thread, so nothing on the event loop can hold it up.

Keys are read by `tui.ui.key_parser.EscapeKeyParser`, as in a terminal: the packets of keys typed a
moment apart often arrive in one read, and Escape followed by a key is two keys, not Alt+key.
"""

from __future__ import annotations

from codecs import getincrementaldecoder

from textual import log, messages
from textual.drivers._byte_stream import ByteStream
from textual.drivers.web_driver import WebDriver, _ExitInput

from tui.terminal.exits import exit_later
from tui.ui.key_parser import EscapeKeyParser

GRACE = 5.0
"""Seconds from "quit" (or the end of stdin) to the end of the process, at the latest. A normal
shutdown, with the place in the routine saved, takes well under one."""
STUCK_STATUS = 1
"""The exit status when the grace ran out."""


class ServedDriver(WebDriver):
    """Textual's web driver, plus: the process always ends once the server is done with it."""

    _leaving = False

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type == "quit":
            self._end_within_grace()
        super().on_meta(packet_type, payload)

    def run_input_thread(self) -> None:
        self._read_packets()
        if not self.exit_event.is_set():
            # the input ended while the app still runs: nobody is left to send "quit"
            self._app.post_message(messages.ExitApp())
            self._end_within_grace()

    def _end_within_grace(self) -> None:
        if not self._leaving:
            self._leaving = True
            exit_later(GRACE, STUCK_STATUS)

    def _read_packets(self) -> None:
        """WebDriver's input loop, with unknot's key parser: the server's packets hold the
        keys ("D") and news of the browser ("M": size, focus, "quit")."""
        parser = EscapeKeyParser(debug=self._debug)
        decode = getincrementaldecoder("utf-8")().decode
        packets = ByteStream()
        try:
            for data in self._input_reader:  # b"" ten times a second: the parser's clock
                for kind, payload in packets.feed(data) if data else ():
                    if kind == "D":
                        for event in parser.feed(decode(payload)):
                            self.process_message(event)
                    else:
                        self._on_meta(kind, payload)
                for event in parser.tick():
                    self.process_message(event)
        except _ExitInput:  # the server's "exit"
            pass
        except Exception as error:  # as WebDriver does: logged, and the input ends
            log.error(f"input stopped: {error!r}")
        finally:
            self._input_reader.close()
