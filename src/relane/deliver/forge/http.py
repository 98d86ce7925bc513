"""Calls to a forge's REST API, with its errors made into one clear line.

httpx is imported when the first call is made, so that commands that never
reach the network do not pay for it. Every failure becomes a
:class:`ForgeError` (exit 2) whose text has the forge's own message and
never the token: a 401, 403, 404, 409 or 422; a rate limit, with when it
resets; a timeout, of one request (``timeout``) or of all of a client's
together (``deadline``); a connection that cannot be made; too many
redirects; an answer that cannot be decoded, or that is larger than
``max_answer`` bytes once decompressed (it is read no further).

The token stays out of everything else too. httpx's requests, responses and
exceptions never leave :meth:`Api._send`: callers get a :class:`Reply`, and
a failure is raised where none of them is held, with no exception chained
to it, so that neither a traceback that records each frame's locals (as
error trackers do) nor an exception's ``__context__`` can carry the
Authorization header or an answer that echoes it. Strings in a decoded
answer have known tokens masked, so that a forge echoing the token cannot
put it in a report; httpx's and httpcore's log records are scrubbed.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

from relane import __version__
from relane.deliver.limits import DEFAULT_DEADLINE, DEFAULT_TIMEOUT
from relane.errors import RelaneError
from relane.deliver.forge.body import TooLarge, Undecodable, read_bounded, size_text
from relane.redact import Secret, mask, scrub, scrub_logs

MAX_PAGES = 100  # a bound on any listing: 100 pages of 50 to 100 items
MAX_ANSWER_BYTES = 10 * 1024 * 1024  # the most of one answer relane reads, once decompressed
MAX_REDIRECTS = 20


class ForgeError(RelaneError):
    """A forge API call failed; the text is the forge's own message where it gave one.

    ``status`` is the HTTP status of the answer, if there was one.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Reply:
    """What relane keeps of a 2xx answer: its body and the two headers it reads."""

    status: int
    content: bytes = field(repr=False)  # not in a traceback's locals: it may echo the token
    next_url: str | None = None  # the Link header's rel="next"
    total: str | None = None  # the X-Total-Count header


# Loggers through which httpx and httpcore report requests and answers
# (httpcore's DEBUG records hold the answer's headers as they came).
HTTP_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


@lru_cache(maxsize=1)
def _ssl_context():
    """One TLS context for every client: loading the CA bundle takes tens of ms."""
    import httpx

    return httpx.create_ssl_context(verify=True, trust_env=True)


_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
}


class Api:
    """One forge's REST API at ``base_url``: requests, pages and errors.

    ``name`` prefixes every error (``github: 404 Not Found: ...``);
    ``auth_scheme`` is the word before the token in the Authorization header.
    """

    def __init__(
        self,
        name: str,
        base_url: str,
        token: Secret | None,
        *,
        auth_scheme: str,
        headers: dict[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        deadline: float | None = None,
        token_hint: str = "",
        max_answer: int = MAX_ANSWER_BYTES,
    ) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._auth_scheme = auth_scheme
        # Only the codings relane decompresses itself, a bounded amount at a time.
        self._headers = {"User-Agent": f"relane/{__version__}", "Accept-Encoding": "gzip, deflate", **(headers or {})}
        self.timeout = timeout
        self.deadline = deadline
        """Seconds all the requests of this client may take together (``None``: no bound)."""
        self._ends = None if deadline is None else time.monotonic() + deadline
        self.max_answer = max_answer
        self.token_hint = token_hint
        self._client = None
        self._sockets: list = []  # the sockets of the client's connections, for _Deadline to shut

    def __repr__(self) -> str:
        return f"Api({self.name!r}, {scrub(self.base_url)!r})"

    def __enter__(self) -> Api:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        self._sockets.clear()

    def _http(self):
        if self._client is None:
            import httpx

            scrub_logs(HTTP_LOGGERS)
            headers = dict(self._headers)
            if self._token is not None:
                headers["Authorization"] = f"{self._auth_scheme} {self._token.reveal()}"
            self._client = httpx.Client(
                headers=headers,
                timeout=httpx.Timeout(self.timeout),
                follow_redirects=True,  # httpx drops Authorization when leaving the origin
                event_hooks={"response": [_refuse_method_change]},
                verify=_ssl_context(),
            )
        return self._client

    def url(self, path: str) -> str:
        return path if "://" in path else f"{self.base_url}/{path.lstrip('/')}"

    def request(self, method: str, path: str, *, json_body: Any = None, params: dict | None = None) -> Reply:
        """Send one request; returns the :class:`Reply` of a 2xx answer."""
        outcome = self._send(method, self.url(path), json_body, params)
        if isinstance(outcome, ForgeError):
            raise outcome  # here no request, answer or httpx exception is held
        return outcome

    def _send(self, method: str, url: str, json_body: Any, params: dict | None) -> Reply | ForgeError:
        """The reply to one request, or the error to raise (never raised here)."""
        import httpx

        what = f"{method} {_path_of(url)}"
        seconds, overall = self.timeout, False
        if self._ends is not None:
            left = self._ends - time.monotonic()
            if left <= 0:
                return ForgeError(self._clean(self._past_deadline(what)))
            seconds, overall = min(seconds, left), left < seconds
        deadline = _Deadline(seconds, self._sockets)
        try:
            with deadline:
                response, content = self._exchange(method, url, json_body, params, deadline)
        except TooLarge:
            return ForgeError(
                self._clean(
                    f"{self.name}: the answer from {_origin(url)} is larger than {size_text(self.max_answer)}; "
                    f"not read ({what})"
                )
            )
        except Undecodable as exc:
            return ForgeError(self._clean(f"{self.name}: cannot decode the answer from {_origin(url)}: {exc} ({what})"))
        except _Redirected as exc:
            return ForgeError(
                self._clean(
                    f"{self.name}: the forge redirected {what} ({exc.status}) to {exc.target}; "
                    "give --api-url the address the API answers at"
                ),
                exc.status,
            )
        except httpx.TimeoutException:
            if overall:
                return ForgeError(self._clean(self._past_deadline(what)))
            return ForgeError(
                self._clean(f"{self.name}: no answer from {_origin(url)} within {self.timeout:g} s ({what})")
            )
        except httpx.TooManyRedirects:
            return ForgeError(self._clean(f"{self.name}: too many redirects from {_origin(url)} ({what})"))
        except httpx.DecodingError as exc:
            return ForgeError(
                self._clean(f"{self.name}: cannot decode the answer from {_origin(url)}: {exc} ({what})")
            )
        except httpx.LocalProtocolError as exc:
            # Its text quotes what relane was about to send, such as a header
            # (``Illegal header value b'Bearer ...'``): only its type is shown.
            return ForgeError(
                self._clean(
                    f"{self.name}: the request to {_origin(url)} could not be sent ({type(exc).__name__}) ({what})"
                )
            )
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            return ForgeError(
                self._clean(f"{self.name}: cannot reach {_origin(url)}: {exc or type(exc).__name__} ({what})")
            )
        if deadline.expired:  # the answer came whole as time ran out; its connection is shut
            self.close()
        if response.status_code >= 400:
            return ForgeError(self._clean(self._describe(response, content, what)), response.status_code)
        return Reply(
            response.status_code,
            content,
            response.links.get("next", {}).get("url"),
            response.headers.get("x-total-count"),
        )

    def _exchange(self, method: str, url: str, json_body: Any, params: dict | None, deadline: _Deadline):
        """The final answer to one request (redirects followed) and its body,
        decompressed, of at most ``max_answer`` bytes (else :class:`TooLarge`).

        Redirects are followed here rather than by httpx, which would read a
        redirect's body whole; httpx still builds each next request (and drops
        the Authorization header when it leaves the origin)."""
        import httpx

        client = self._http()
        request = client.build_request(method, url, json=json_body, params=params, extensions={"trace": deadline.trace})
        response = client.send(request, stream=True, follow_redirects=False)
        for _ in range(MAX_REDIRECTS):
            if response.next_request is None:
                break
            response.close()
            response = client.send(response.next_request, stream=True, follow_redirects=False)
        else:
            if response.next_request is not None:
                response.close()
                raise httpx.TooManyRedirects("Exceeded maximum allowed redirects.")
        try:
            return response, read_bounded(response, self.max_answer)
        finally:
            response.close()

    def _past_deadline(self, what: str) -> str:
        return (
            f"{self.name}: the forge's answers took more than {self.deadline:g} s in all; stopped "
            f"(--deadline sets the bound) ({what})"
        )

    def json(self, method: str, path: str, **kwargs) -> Any:
        reply = self.request(method, path, **kwargs)
        if not reply.content:
            return None
        return self._decode(reply, method, path)

    def _decode(self, reply: Reply, method: str, where: str) -> Any:
        """The answer's JSON, known tokens masked in its strings."""
        doc = _loads(reply.content)
        if doc is _NOT_JSON:
            raise ForgeError(self._clean(f"{self.name}: the answer to {method} {_path_of(self.url(where))} is not JSON"))
        return doc

    def _items(self, items: Callable[[Any], list], doc: Any, where: str) -> list:
        batch = items(doc)
        if not isinstance(batch, list):
            raise ForgeError(self._clean(f"{self.name}: the answer to GET {_path_of(self.url(where))} is not a listing"))
        return batch

    def pages_by_link(self, path: str, params: dict, items: Callable[[Any], list]) -> Iterator[Any]:
        """Every item of a listing that names its next page in a Link header (GitHub)."""
        url: str | None = self.url(path)
        seen: set[str] = set()
        for page in range(MAX_PAGES + 1):
            if url is None or url in seen:
                return
            if page == MAX_PAGES:  # the last page allowed still named a next one
                break
            seen.add(url)
            reply = self.request("GET", url, params=params)
            yield from self._items(items, self._decode(reply, "GET", url), url)
            params = None  # the next link carries the query
            url = reply.next_url
            if url is not None and _origin(url) != _origin(self.base_url):
                raise ForgeError(
                    self._clean(f"{self.name}: the next page is on another host ({_origin(url)}); not followed")
                )
        raise ForgeError(f"{self.name}: more than {MAX_PAGES} pages at {_path_of(self.url(path))}; stopped")

    def pages_by_number(
        self, path: str, params: dict, items: Callable[[Any], list], *, limit: int = 50
    ) -> Iterator[Any]:
        """Every item of a listing paged with ``page``/``limit`` (Gitea, Forgejo).

        The total comes from ``X-Total-Count`` or a ``total_count`` field;
        without either, pages are read until one comes back empty.
        """
        got = 0
        for page in range(1, MAX_PAGES + 1):
            reply = self.request("GET", path, params={**params, "page": page, "limit": limit})
            doc = self._decode(reply, "GET", path)
            batch = self._items(items, doc, path)
            yield from batch
            got += len(batch)
            total = _total(reply, doc)
            if not batch or (total is not None and got >= total):
                return
        raise ForgeError(f"{self.name}: more than {MAX_PAGES} pages at {_path_of(self.url(path))}; stopped")

    def _clean(self, text: str) -> str:
        text = scrub(text)
        if self._token is not None:
            text = text.replace(self._token.reveal(), "***")
        return text

    def _describe(self, response, content: bytes, what: str) -> str:
        status = response.status_code
        reason = _REASONS.get(status) or response.reason_phrase or "error"
        message = _forge_message(content)
        limited = _rate_limit(response)
        if limited:
            return f"{self.name}: rate limit exceeded{': ' + message if message else ''}; {limited} ({what})"
        text = f"{self.name}: {status} {reason}"
        if message:
            text += f": {message}"
        text += f" ({what})"
        if status == 401 and self.token_hint:
            text += f"; check {self.token_hint}"
        return text


class _Redirected(Exception):
    """A 301 or 302 to a request that changes something (see :func:`_refuse_method_change`)."""

    def __init__(self, status: int, target: str) -> None:
        super().__init__(status, target)
        self.status = status
        self.target = target


def _refuse_method_change(response) -> None:
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
        target = _origin(joined) + _path_of(joined)
    except Exception:  # a Location httpx cannot read: it would have failed on it too
        target = "an address that cannot be read"
    raise _Redirected(response.status_code, target)


class _Deadline:
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
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def __enter__(self) -> _Deadline:
        self._timer = threading.Timer(self.seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        assert self._timer is not None
        self._timer.cancel()
        if self.expired and exc_type is not None and issubclass(exc_type, Exception):
            import httpx

            # What the shut socket made fail, not why it was shut.
            raise httpx.TimeoutException(f"no whole answer within {self.seconds:g} s") from None
        return False


def _shut(sock) -> None:
    """Shut ``sock`` down for both ways, waking a read or write blocked on it
    in another thread. The plain socket's method is called, not an SSL
    socket's own (which would unwrap the TLS layer under the reader)."""
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:  # closed already, or never connected
        pass


_NOT_JSON = object()


def _loads(content: bytes) -> Any:
    """The JSON in ``content`` with known tokens masked, or ``_NOT_JSON``
    (the decoder's error, which holds the whole text, is dropped here)."""
    try:
        return mask(json.loads(content))
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deep to walk
        return _NOT_JSON


def _total(reply: Reply, doc: Any) -> int | None:
    header = reply.total
    if header is not None and header.strip().isdigit():
        return int(header)
    if isinstance(doc, dict) and isinstance(doc.get("total_count"), int):
        return doc["total_count"]
    return None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # not a number: its text is not shown (it may be part of a password)
        port = ":?"
    return f"{parts.scheme}://{host}{port}"


def _path_of(url: str) -> str:
    return urlsplit(url).path or "/"


def _forge_message(content: bytes) -> str:
    """The forge's own explanation: GitHub's message and errors, Gitea's message."""
    doc = _loads(content)
    if doc is _NOT_JSON:
        text = content.decode("utf-8", "replace").strip()
        # Masked before it is cut, so that no part of a token is left at the cut.
        return scrub(" ".join(text.split()))[:200] if text and not text.startswith("<") else ""
    if not isinstance(doc, dict):
        return ""
    parts = []
    message = doc.get("message")
    if isinstance(message, str) and message.strip():
        parts.append(message.strip())
    errors = doc.get("errors")
    if isinstance(errors, list):
        for error in errors:
            if isinstance(error, str):
                parts.append(error)
            elif isinstance(error, dict):
                if isinstance(error.get("message"), str):
                    parts.append(error["message"])
                elif error.get("code"):
                    field = ".".join(str(error[k]) for k in ("resource", "field") if error.get(k))
                    parts.append(f"{field} {error['code']}".strip())
    return ": ".join(" ".join(p.split()) for p in parts)


def _rate_limit(response) -> str | None:
    """When a 403/429 is a rate limit, when it lifts; else None."""
    if response.status_code not in (403, 429):
        return None
    headers = response.headers
    retry = headers.get("retry-after", "").strip()
    if retry.isascii() and retry.isdigit() and len(retry) < 16:
        return f"retry after {int(retry)} s"
    if headers.get("x-ratelimit-remaining", "").strip() == "0":
        reset = headers.get("x-ratelimit-reset", "").strip()
        if reset.isascii() and reset.isdigit():
            try:
                when = datetime.fromtimestamp(int(reset), tz=timezone.utc)
            except (OverflowError, OSError, ValueError):  # past the years a date can hold
                return "its reset time is out of range"
            return f"it resets at {when:%Y-%m-%d %H:%M:%S} UTC"
        return "no reset time given"
    if response.status_code == 429:
        return "no reset time given"
    return None
