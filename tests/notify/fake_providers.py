"""A local HTTP server that answers as Twilio's REST API and the WhatsApp Cloud API do.

The real clients (``twilio``'s and ``requests``) are pointed at it through the base-URL settings,
so the code under test builds and sends real requests; the server records each one and can be
told to refuse the next ones (``fail_next``).
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

TWILIO_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>[^/]+)/Messages\.json$")
WHATSAPP_PATH = re.compile(r"^/v\d+\.\d+/(?P<phone_id>[^/]+)/messages$")


@dataclass
class Received:
    provider: str
    path: str
    headers: dict[str, str]
    form: dict[str, str] = field(default_factory=dict)
    json: dict = field(default_factory=dict)


class FakeProviders:
    def __init__(self):
        self.received: list[Received] = []
        self._failures: list[tuple[int, dict]] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeProviders:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, times: int = 1, *, status: int = 500, code: int = 20500) -> None:
        """Answer the next ``times`` sends with ``status`` (and the provider's error body)."""
        with self._lock:
            self._failures += [(status, {"code": code})] * times

    def of(self, provider: str) -> list[Received]:
        return [r for r in self.received if r.provider == provider]

    def _take_failure(self) -> tuple[int, dict] | None:
        with self._lock:
            return self._failures.pop(0) if self._failures else None

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def _answer(self, status: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):  # noqa: N802 (http.server's hook name)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                twilio = TWILIO_PATH.match(self.path)
                whatsapp = WHATSAPP_PATH.match(self.path)
                if twilio:
                    form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                    fake.received.append(Received("twilio", self.path, headers, form=form))
                    failure = fake._take_failure()
                    if failure:
                        status, detail = failure
                        return self._answer(
                            status,
                            {
                                "code": detail["code"],
                                "message": "refused by the fake provider",
                                "more_info": "https://www.twilio.com/docs/errors",
                                "status": status,
                            },
                        )
                    return self._answer(
                        201,
                        {
                            "sid": "SM" + uuid.uuid4().hex,
                            "account_sid": twilio["sid"],
                            "to": form.get("To"),
                            "from": form.get("From"),
                            "body": form.get("Body"),
                            "status": "queued",
                        },
                    )
                if whatsapp:
                    payload = json.loads(raw or b"{}")
                    fake.received.append(Received("whatsapp", self.path, headers, json=payload))
                    failure = fake._take_failure()
                    if failure:
                        status, detail = failure
                        return self._answer(
                            status,
                            {
                                "error": {
                                    "message": "refused by the fake provider",
                                    "type": "OAuthException",
                                    "code": detail["code"],
                                }
                            },
                        )
                    return self._answer(
                        200,
                        {
                            "messaging_product": "whatsapp",
                            "contacts": [{"input": payload.get("to"), "wa_id": payload.get("to")}],
                            "messages": [{"id": "wamid." + uuid.uuid4().hex}],
                        },
                    )
                return self._answer(404, {"error": "unknown path"})

        return Handler
