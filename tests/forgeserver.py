"""A real HTTP server on 127.0.0.1 that plays a forge's API for tests.

Tests register answers per (method, path); the server records every
request it gets (method, path, query, headers, JSON body) so tests can check
what relane sent. Import the fixture: ``from forgeserver import forge``.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

import pytest


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any

    @property
    def line(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in sorted(self.query.items()))
        return f"{self.method} {self.path}" + (f"?{query}" if query else "")


@dataclass
class Answer:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    raw: bytes | None = None  # sent as it is instead of the JSON of body
    reason: str | None = None  # the status line's reason phrase (default: the standard one)
    hang_up: bool = False  # close the connection without answering
    drip: float = 0.0  # send the body one byte at a time, this many seconds apart
    drip_head: bool = False  # with drip: the status line and headers too


Route = Callable[[Request], Answer]


class ForgeServer:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route | Answer] = {}
        self.fallback: Route | None = None  # answers what no route does (a stateful fake forge)
        self.requests: list[Request] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            wbufsize = 1 << 16  # one write per answer (flushed after each request)
            disable_nagle_algorithm = True

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                request = Request(
                    self.command,
                    parts.path,
                    {k: v[-1] for k, v in parse_qs(parts.query).items()},
                    {k.lower(): v for k, v in self.headers.items()},
                    json.loads(raw) if raw else None,
                )
                server.requests.append(request)
                route = server.routes.get((self.command, parts.path)) or server.fallback
                if route is None:
                    answer = Answer(404, {"message": "Not Found"})
                else:
                    answer = route(request) if callable(route) else route
                if answer.delay:
                    time.sleep(answer.delay)
                if answer.hang_up:
                    self.close_connection = True
                    return
                if answer.raw is not None:
                    data = answer.raw
                else:
                    data = b"" if answer.body is None else json.dumps(answer.body).encode()
                if answer.drip:
                    self._drip(answer, data)
                    return
                try:
                    self.send_response(answer.status, answer.reason)
                    if not any(name.lower() == "content-type" for name in answer.headers):
                        self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up (a timeout test)

            def _drip(self, answer: Answer, data: bytes) -> None:
                """A slow answer: each byte a read of its own (a forge that
                trickles, or a connection that barely moves)."""
                reason = answer.reason or self.responses.get(answer.status, ("",))[0]
                headers = {"Content-Type": "application/json", **answer.headers, "Content-Length": str(len(data))}
                head = f"HTTP/1.1 {answer.status} {reason}\r\n" + "".join(
                    f"{name}: {value}\r\n" for name, value in headers.items()
                ) + "\r\n"
                slow = head.encode() + data if answer.drip_head else data
                try:
                    if not answer.drip_head:
                        self.wfile.write(head.encode())
                        self.wfile.flush()
                    for i in range(len(slow)):
                        time.sleep(answer.drip)
                        self.wfile.write(slow[i:i + 1])
                        self.wfile.flush()
                except OSError:  # the client gave up
                    self.close_connection = True

            def handle(self) -> None:
                try:
                    super().handle()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def finish(self) -> None:
                try:
                    super().finish()
                except (BrokenPipeError, ConnectionResetError):  # what is left unsent has no one to go to
                    pass

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.005}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def on(self, method: str, path: str, answer: Route | Answer) -> None:
        self.routes[(method, path)] = answer

    def lines(self) -> list[str]:
        return [r.line for r in self.requests]

    def start(self) -> ForgeServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def forge():
    server = ForgeServer().start()
    yield server
    server.stop()


def closed_port_url() -> str:
    """An address on loopback where nothing listens."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
