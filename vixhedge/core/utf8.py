"""A user's file read as UTF-8, and what its bytes are when they are not: one test for config and data files alike.

A leading UTF-8 byte-order mark (as Windows Notepad's "UTF-8" writes) is dropped. Bytes that are not UTF-8 are
named with the fix: UTF-16 by its byte-order mark (Notepad's "Unicode"), UTF-16 without one by its NUL bytes,
else the first bad byte's place (Latin-1 or another code page). Used by :func:`vixhedge.core.config.load.read_utf8`
(configs, sweep specs, event and FOMC calendars, plausibility rules) and the CSV loaders of :mod:`feeds.loaders`;
the caller puts the file's name before the message.
"""

from __future__ import annotations

import codecs

__all__ = ["NotUtf8", "decode_utf8"]

_FIX = "save it as UTF-8"
_NUL = "holds NUL bytes (UTF-16 text without a byte-order mark?), not UTF-8 text"


class NotUtf8(ValueError):
    """The bytes are not UTF-8 text; the message names what they are and the fix (``...: save it as UTF-8``)."""


def decode_utf8(data: bytes, *, nul: bool = False) -> str:
    """Return ``data`` decoded as UTF-8, a leading byte-order mark dropped.

    Parameters
    ----------
    data
        The file's bytes (decompressed).
    nul
        Accept NUL characters in bytes that decode (a data file's cell checks name the cell that holds them). By
        default they are refused: ASCII-only UTF-16 without a byte-order mark decodes as UTF-8 with a NUL beside
        every letter.

    Raises
    ------
    NotUtf8
        One line without the file's name, e.g. ``is UTF-16 text (Windows Notepad's 'Unicode'), not UTF-8: save it
        as UTF-8`` or ``is not UTF-8 text (byte 0xe9 at line 2, column 12: Latin-1 or another code page?): save it
        as UTF-8``.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUtf8(f"{_what(data, exc)}: {_FIX}") from None
    if not nul and "\x00" in text:
        raise NotUtf8(f"{_NUL}: {_FIX}")
    return text


def _what(data: bytes, exc: UnicodeDecodeError) -> str:
    """Name what bytes that are not UTF-8 are: UTF-16 (by its byte-order mark or NUL bytes) or the first bad byte's
    place."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "is UTF-16 text (Windows Notepad's 'Unicode'), not UTF-8"
    if b"\x00" in data:
        return _NUL
    line = data.count(b"\n", 0, exc.start) + 1
    column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    return (f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at line {line}, column {column}: Latin-1 or another "
            "code page?)")
