"""The plumbing under :class:`~relane.deliver.forge.http.Api`'s requests:
a deadline for a whole request, redirects that must not be followed, and
URLs cut down to what may be shown (an origin and a path, never a query
or a password)."""

from __future__ import annotations

import socket
import threading
from typing import Literal
from urllib.parse import urlsplit


class Redirected(Exception):
    """A 301 or 302 to a request that changes something (see :func:`refuse_method_change`)."""

    def __init__(self, status: int, target: str) -> None:
        super().__init__(status, target)
        self.status = status
        self.target = target


def refuse_method_change(response) -> None:
    """Stop a 301 or 302 to a POST (or PATCH, PUT, DELETE) from being followed.

    httpx, as browsers do, would follow it with a GET: the pull request is
    not opened, and the GET's answer (a listing, say) is taken for the
    POST's. Sending the POST again to wherever the forge points is no
    better: a 301 or 302 does not promise the new address takes it. The
    move is reported instead, by the new address's origin and path only.
    307 and 308, which keep the method and body, are followed as before
    (to another origin without the Authorization header), and so is a 303,
    the answer to a POST that was carried out.
    """
    if response.status_code not in (301, 302) or response.request.method in ("GET", "HEAD"):
        return
    location = response.headers.get("location")
    if not location:
        return
    try:
        joined = str(response.request.url.join(location))
        target = origin(joined) + path_of(joined)
    except Exception:  # a Location httpx cannot read: it would have failed on it too
        target = "an address that cannot be read"
    raise Redirected(response.status_code, target)


class Deadline:
    """The time one request may take as a whole: connecting, sending, and
    reading the answer to its last byte (httpx's timeouts bound each read,
    so a forge that trickles its answer a byte at a time would never time
    out).

    When the time is up, a timer shuts down the sockets of the client's
    connections (``sockets``, kept across requests: a request may go over
    a kept-alive connection opened before); the read or write in progress
    then fails, and the failure leaves the ``with`` block as a
    ``httpx.TimeoutException``. The sockets are learnt from httpcore's
    ``trace`` request extension as each connection is opened.
    """

    _OPENED = ("connect_tcp.complete", "connect_unix_socket.complete", "start_tls.complete")

    def __init__(self, seconds: float, sockets: list) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets = sockets
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def trace(self, event: str, info: dict) -> None:
        if not event.endswith(self._OPENED):
            return  # nothing else is looked at (the request's headers hold the token)
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if sock is None:
            return
        with self._lock:
            self._sockets[:] = [s for s in self._sockets if s.fileno() != -1]
            self._sockets.append(sock)
            if self.expired:
                shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                shut(sock)

    def __enter__(self) -> Deadline:
        self._timer = threading.Timer(self.seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, exc_type, exc, tb) -> Literal[False]:
        assert self._timer is not None
        self._timer.cancel()
        if self.expired and exc_type is not None and issubclass(exc_type, Exception):
            import httpx

            # What the shut socket made fail, not why it was shut.
            raise httpx.TimeoutException(f"no whole answer within {self.seconds:g} s") from None
        return False


def shut(sock) -> None:
    """Shut ``sock`` down for both ways, waking a read or write blocked on it
    in another thread. The plain socket's method is called, not an SSL
    socket's own (which would unwrap the TLS layer under the reader)."""
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:  # closed already, or never connected
        pass


def origin(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # not a number: its text is not shown (it may be part of a password)
        port = ":?"
    return f"{parts.scheme}://{host}{port}"


def path_of(url: str) -> str:
    return urlsplit(url).path or "/"
