"""TOML files relane reads (migration specs, label tables): one reader, one error form."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from relane.errors import InputError, UsageError
from relane.read.source import decode_utf8

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def read_toml(path: Path, shown: str) -> dict:
    """The TOML document at ``path``; a missing file is a :class:`UsageError`,
    anything else wrong an :class:`InputError` naming ``shown`` (and the
    line and column of a syntax error)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file") from None
    except OSError as exc:
        raise InputError(f"cannot read: {os.strerror(exc.errno) if exc.errno else exc}", shown) from None
    return loads(decode_utf8(data, shown), shown)


def loads(text: str, shown: str) -> dict:
    """``text`` read as TOML; a syntax error is an :class:`InputError` naming ``shown``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = re.search(r"\s*\(at line (\d+), column (\d+)\)", message)
        if m:
            raise InputError(message[: m.start()] + message[m.end() :], shown, int(m.group(1)), int(m.group(2))) from None
        raise InputError(message, shown) from None
