"""A stand-in for the 企业微信 and 钉钉 group-robot endpoints: a real HTTP server on 127.0.0.1 in a thread."""

from __future__ import annotations

import json
import socket
import threading
import urllib.parse
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

OK = {"errcode": 0, "errmsg": "ok"}


@dataclass(frozen=True)
class Received:
    path: str
    query: dict[str, str]
    content_type: str
    payload: Any


class FakeRobot:
    """Answers each POST with the next scripted (status, answer) in `replies` (HTTP 200 and errcode 0
    when none is left) and keeps every request it received in `received`."""

    def __init__(self, port: int = 0) -> None:
        self.received: list[Received] = []
        self.replies: deque[tuple[int, Any]] = deque()
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                url = urllib.parse.urlsplit(self.path)
                robot.received.append(
                    Received(
                        path=url.path,
                        query=dict(urllib.parse.parse_qsl(url.query)),
                        content_type=self.headers.get("Content-Type", ""),
                        payload=json.loads(raw),
                    )
                )
                status, answer = robot.replies.popleft() if robot.replies else (200, OK)
                # A str is sent as it is (an HTML error page, say); anything else as JSON.
                raw_answer = isinstance(answer, str)
                body = (answer if raw_answer else json.dumps(answer)).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html" if raw_answer else "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})
        self.thread.daemon = True
        self.thread.start()

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def url(self, path: str = "/robot/send") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (the kernel just handed it out and it was closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
