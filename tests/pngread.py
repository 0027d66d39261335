"""Read a PNG's pixels with zlib alone: enough for the screenshots Chromium writes (8 bits a
channel, RGB or RGBA, not interlaced), so the browser tests need no imaging library."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Image:
    width: int
    height: int
    rows: list[bytes]
    """One bytes per row, `channels` bytes a pixel."""
    channels: int

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        at = x * self.channels
        r, g, b = self.rows[y][at : at + 3]
        return r, g, b

    def grey(self, x: int, y: int) -> int:
        """The pixel's brightness, 0 (black) to 255 (white)."""
        r, g, b = self.pixel(x, y)
        return (r * 299 + g * 587 + b * 114) // 1000


def read_png(data: bytes) -> Image:
    if not data.startswith(SIGNATURE):
        raise ValueError(f"not a PNG: starts {data[:16]!r}")
    at = len(SIGNATURE)
    width = height = channels = 0
    packed = bytearray()
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        at += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (2, 6) or interlace:
                raise ValueError(f"a PNG this reader does not read: {depth=} {colour=}")
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            packed += body
        elif kind == b"IEND":
            break
    raw = zlib.decompress(bytes(packed))
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        _unfilter(kind, line, previous, channels)
        rows.append(bytes(line))
        previous = line
    return Image(width, height, rows, channels)


def _unfilter(kind: int, line: bytearray, above: bytearray, step: int) -> None:
    if kind == 0:
        return
    if kind == 2:  # "up", the most common: every byte at once, as one big number
        line[:] = _add_bytes(bytes(line), bytes(above))
        return
    for i in range(len(line)):
        left = line[i - step] if i >= step else 0
        up = above[i]
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 2:
            line[i] = (line[i] + up) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            corner = above[i - step] if i >= step else 0
            guess = left + up - corner
            pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
            nearest = left if pa <= pb and pa <= pc else up if pb <= pc else corner
            line[i] = (line[i] + nearest) & 0xFF
        else:
            raise ValueError(f"unknown PNG filter {kind}")


def _add_bytes(a: bytes, b: bytes) -> bytes:
    """a + b byte by byte, each sum modulo 256 (no carry from one byte to the next)."""
    size = len(a)
    low = int.from_bytes(b"\x7f" * size, "big")
    high = int.from_bytes(b"\x80" * size, "big")
    x, y = int.from_bytes(a, "big"), int.from_bytes(b, "big")
    return (((x & low) + (y & low)) ^ ((x ^ y) & high)).to_bytes(size, "big")
