"""The body of a forge's answer, read a bounded amount at a time.

A forge answer is read up to a limit counted after decompression: a larger
one stops the read (:class:`TooLarge`), so that neither a huge answer nor a
small compressed one that inflates to gigabytes can exhaust memory. relane
asks for gzip and deflate only and undoes them itself, a bounded amount at
a time; httpx would inflate a whole chunk at once.
"""

from __future__ import annotations

import zlib


class TooLarge(Exception):
    """An answer longer, once decompressed, than relane reads."""


class Undecodable(Exception):
    """An answer whose Content-Encoding relane cannot undo."""


def read_bounded(response, limit: int) -> bytes:
    """The body of ``response``, decompressed (gzip or deflate), or
    :class:`TooLarge` as soon as it passes ``limit`` bytes.

    Decompression is asked for at most the bytes still allowed at each
    step, so that a small compressed answer that inflates to gigabytes
    costs no more than ``limit``."""
    codings = [c.strip().lower() for c in response.headers.get("content-encoding", "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if len(codings) > 1:
        raise Undecodable(f"more than one content coding ({', '.join(codings)})")
    inflate = _Inflater(codings[0]) if codings else None
    chunks: list[bytes] = []
    size = 0
    for raw in response.iter_raw():
        pieces = inflate.feed(raw, limit - size) if inflate else [raw]
        for piece in pieces:
            size += len(piece)
            if size > limit:
                raise TooLarge
            chunks.append(piece)
    if inflate:
        tail = inflate.finish()
        size += len(tail)
        if size > limit:
            raise TooLarge
        chunks.append(tail)
    return b"".join(chunks)


class _Inflater:
    """gzip or deflate undone a bounded amount at a time. ``deflate`` is the
    zlib format, or (as some servers send it) raw deflate data."""

    def __init__(self, coding: str) -> None:
        if coding in ("gzip", "x-gzip"):
            self._d = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif coding == "deflate":
            self._d = zlib.decompressobj()
        else:
            raise Undecodable(f"unsupported content coding {coding[:40]!r}")
        self._coding = coding
        self._started = False

    def feed(self, data: bytes, allowed: int) -> list[bytes]:
        """What ``data`` decompresses to, stopping just past ``allowed`` bytes."""
        try:
            out = self._d.decompress(data, max(allowed, 0) + 1)
        except zlib.error as exc:
            if self._coding != "deflate" or self._started:
                raise Undecodable(str(exc)) from None
            self._d = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, without the zlib header
            self._started = True
            return self.feed(data, allowed)
        self._started = True
        return [out]  # past ``allowed`` when the output was cut: the caller stops

    def finish(self) -> bytes:
        try:
            return self._d.flush()
        except zlib.error as exc:
            raise Undecodable(str(exc)) from None


def size_text(n: int) -> str:
    return f"{n // (1024 * 1024)} MiB" if n % (1024 * 1024) == 0 else f"{n} bytes"
