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

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from relane import __version__
from relane.deliver.forge.answers import NOT_JSON, forge_message, loads, rate_limit
from relane.deliver.forge.body import TooLarge, Undecodable, read_bounded, size_text
from relane.deliver.forge.transport import Deadline, Redirected, origin, path_of, refuse_method_change
from relane.deliver.limits import DEFAULT_TIMEOUT
from relane.errors import RelaneError
from relane.redact import Secret, scrub, scrub_logs

if TYPE_CHECKING:
    import httpx

MAX_PAGES = 100  # a bound on any listing: 100 pages of 50 to 100 items
MAX_ANSWER_BYTES = 10 * 1024 * 1024  # the most of one answer relane reads, once decompressed
MAX_REDIRECTS = 20


class ForgeError(RelaneError):
    """A forge API call failed; the text is the forge's own message where it gave one.

    ``status`` is the HTTP status of the answer, if there was one;
    ``retry_after`` the seconds a rate limit asks to wait, if it said;
    ``dropped`` whether no answer came (a timeout, a connection lost).
    """

    def __init__(
        self, message: str, status: int | None = None, *, retry_after: float | None = None, dropped: bool = False
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.dropped = dropped


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
        self._client: httpx.Client | None = None
        self._sockets: list = []  # the sockets of the client's connections, for Deadline to shut

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
                event_hooks={"response": [refuse_method_change]},
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

        what = f"{method} {path_of(url)}"
        seconds, overall = self.timeout, False
        if self._ends is not None:
            left = self._ends - time.monotonic()
            if left <= 0:
                return ForgeError(self._clean(self._past_deadline(what)))
            seconds, overall = min(seconds, left), left < seconds
        deadline = Deadline(seconds, self._sockets)
        try:
            with deadline:
                response, content = self._exchange(method, url, json_body, params, deadline)
        except TooLarge:
            return ForgeError(
                self._clean(
                    f"{self.name}: the answer from {origin(url)} is larger than {size_text(self.max_answer)}; "
                    f"not read ({what})"
                )
            )
        except Undecodable as exc:
            return ForgeError(self._clean(f"{self.name}: cannot decode the answer from {origin(url)}: {exc} ({what})"))
        except Redirected as exc:
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
                self._clean(f"{self.name}: no answer from {origin(url)} within {self.timeout:g} s ({what})"),
                dropped=True,
            )
        except httpx.TooManyRedirects:
            return ForgeError(self._clean(f"{self.name}: too many redirects from {origin(url)} ({what})"))
        except httpx.DecodingError as exc:
            return ForgeError(
                self._clean(f"{self.name}: cannot decode the answer from {origin(url)}: {exc} ({what})")
            )
        except httpx.LocalProtocolError as exc:
            # Its text quotes what relane was about to send, such as a header
            # (``Illegal header value b'Bearer ...'``): only its type is shown.
            return ForgeError(
                self._clean(
                    f"{self.name}: the request to {origin(url)} could not be sent ({type(exc).__name__}) ({what})"
                )
            )
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            return ForgeError(
                self._clean(f"{self.name}: cannot reach {origin(url)}: {exc or type(exc).__name__} ({what})"),
                dropped=isinstance(exc, httpx.TransportError),
            )
        if deadline.expired:  # the answer came whole as time ran out; its connection is shut
            self.close()
        if response.status_code >= 400:
            return ForgeError(
                self._clean(self._describe(response, content, what)), response.status_code, retry_after=_wait(response)
            )
        return Reply(
            response.status_code,
            content,
            response.links.get("next", {}).get("url"),
            response.headers.get("x-total-count"),
        )

    def _exchange(self, method: str, url: str, json_body: Any, params: dict | None, deadline: Deadline):
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
        doc = loads(reply.content)
        if doc is NOT_JSON:
            raise ForgeError(self._clean(f"{self.name}: the answer to {method} {path_of(self.url(where))} is not JSON"))
        return doc

    def _items(self, items: Callable[[Any], list], doc: Any, where: str) -> list:
        batch = items(doc)
        if not isinstance(batch, list):
            raise ForgeError(self._clean(f"{self.name}: the answer to GET {path_of(self.url(where))} is not a listing"))
        return batch

    def pages_by_link(self, path: str, params: dict | None, items: Callable[[Any], list]) -> Iterator[Any]:
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
            if url is not None and origin(url) != origin(self.base_url):
                raise ForgeError(
                    self._clean(f"{self.name}: the next page is on another host ({origin(url)}); not followed")
                )
        raise ForgeError(f"{self.name}: more than {MAX_PAGES} pages at {path_of(self.url(path))}; stopped")

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
        raise ForgeError(f"{self.name}: more than {MAX_PAGES} pages at {path_of(self.url(path))}; stopped")

    def _clean(self, text: str) -> str:
        text = scrub(text)
        if self._token is not None:
            text = text.replace(self._token.reveal(), "***")
        return text

    def _describe(self, response, content: bytes, what: str) -> str:
        status = response.status_code
        reason = _REASONS.get(status) or response.reason_phrase or "error"
        message = forge_message(content)
        limited = rate_limit(response)
        if limited:
            return f"{self.name}: rate limit exceeded{': ' + message if message else ''}; {limited} ({what})"
        text = f"{self.name}: {status} {reason}"
        if message:
            text += f": {message}"
        text += f" ({what})"
        if status == 401 and self.token_hint:
            text += f"; check {self.token_hint}"
        return text


def _total(reply: Reply, doc: Any) -> int | None:
    header = reply.total
    if header is not None and header.strip().isdigit():
        return int(header)
    if isinstance(doc, dict) and isinstance(doc.get("total_count"), int):
        return doc["total_count"]
    return None


def _wait(response, now: float | None = None) -> float | None:
    """The seconds a 403/429 rate limit asks to wait (``Retry-After``, or
    until ``X-RateLimit-Reset`` when none remain); None when it says none."""
    if response.status_code not in (403, 429):
        return None
    headers = response.headers
    retry = headers.get("retry-after", "").strip()
    if retry.isascii() and retry.isdigit():
        return float(retry) if len(retry) < 16 else float("inf")
    reset = headers.get("x-ratelimit-reset", "").strip()
    if headers.get("x-ratelimit-remaining", "").strip() == "0" and reset.isascii() and reset.isdigit():
        if len(reset) >= 16:  # past the years a date can hold: never, as far as a wait goes
            return float("inf")
        import time

        return max(0.0, int(reset) - (time.time() if now is None else now))
    return None
