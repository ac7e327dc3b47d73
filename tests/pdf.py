"""Read back the text of the small PDFs core/pdf.py draws (posters, certificates).

ReportLab writes each page as an ASCII85 + Flate stream whose strings, in the CID font STSong-Light
(UniGB-UCS2-H), are UTF-16BE literals; this decodes exactly that, so a test can assert on the words.
"""

from __future__ import annotations

import base64
import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
_SHOWN = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", re.S)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
_SIMPLE = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(literal: bytes) -> bytes:
    def replace(match: re.Match[bytes]) -> bytes:
        value = match.group(1)
        if value[:1].isdigit():
            return bytes([int(value, 8)])
        return _SIMPLE.get(value, value)

    return _ESCAPE.sub(replace, literal)


def pdf_streams(content: bytes) -> list[bytes]:
    decoded = []
    for match in _STREAM.finditer(content):
        data = match.group(1).strip()
        try:
            data = zlib.decompress(base64.a85decode(data.removesuffix(b"~>")))
        except ValueError:
            continue
        decoded.append(data)
    return decoded


def pdf_text(content: bytes) -> str:
    """Every string shown on the pages, in order, joined by newlines."""
    assert content.startswith(b"%PDF-")
    shown = []
    for stream in pdf_streams(content):
        for match in _SHOWN.finditer(stream):
            raw = _unescape(match.group(1))
            try:
                shown.append(raw.decode("utf-16-be"))
            except UnicodeDecodeError:
                shown.append(raw.decode("latin-1"))
    return "\n".join(shown)
