"""Real local notification receivers for tests: an SMTP server (aiosmtpd) and an HTTP webhook endpoint.

Both listen on 127.0.0.1 and record what they receive; both can be created on a port without being
started, so a test can show a receiver that is down first and up later."""

from __future__ import annotations

import email
import http.server
import json
import logging
import socket
import threading
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import Message
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mail:
    sender: str
    recipients: list[str]
    message: Message

    @property
    def subject(self) -> str:
        return str(make_header(decode_header(str(self.message["Subject"] or ""))))

    @property
    def body(self) -> str:
        for part in self.message.walk():
            if part.get_content_type() == "text/plain":
                payload = part.get_payload(decode=True)
                return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)
        return ""


@dataclass
class SmtpReceiver:
    """aiosmtpd on 127.0.0.1:port; `mails` lists every message (one per SMTP transaction)."""

    port: int = field(default_factory=free_port)
    mails: list[Mail] = field(default_factory=list)
    _controller: Any = None

    @property
    def url(self) -> str:
        """An apprise target for this server; without `to=`, tfguard addresses the workload's owners."""
        return f"mailto://127.0.0.1:{self.port}?from=tfguard@example.com&mode=insecure"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.mails.append(Mail(envelope.mail_from, list(envelope.rcpt_tos),
                               email.message_from_bytes(envelope.content)))
        return "250 OK"

    def start(self) -> SmtpReceiver:
        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every connection at INFO
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.mails if address in m.recipients]


@dataclass
class WebhookReceiver:
    """An HTTP server taking POSTs (apprise json://); `posts` lists the JSON bodies received."""

    port: int = field(default_factory=free_port)
    posts: list[dict[str, Any]] = field(default_factory=list)
    _server: Any = None

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}/hooks/tfguard"

    def start(self) -> WebhookReceiver:
        posts = self.posts

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                posts.append({"path": self.path, "headers": dict(self.headers), **json.loads(body or b"{}")})
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        http.server.ThreadingHTTPServer.allow_reuse_address = True
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
