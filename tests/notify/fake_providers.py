"""A local HTTP server that answers as Twilio's REST API and the WhatsApp Cloud API do.

The real clients (``twilio``'s and ``requests``) are pointed at it through the base-URL settings,
so the code under test builds and sends real requests; the server records each one and can be
told to refuse the next ones (``fail_next``).

WhatsApp is checked as the Cloud API checks it: free text only within 24 hours of the citizen's
last message (``customer_wrote``), else error 131047; a template only if approved (``approve``),
in that language, with as many non-empty one-line body parameters as it has. ``on_send`` is
called with each accepted message's payload and id before the send is answered (a provider's
webhook may reach us before its answer does).
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Callable
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
        # WhatsApp: approved templates {name: {language code: body parameter count}}, and when
        # each number last wrote to us (Unix time, read from the clock tests may freeze).
        self.templates: dict[str, dict[str, int]] = {}
        self.last_inbound: dict[str, float] = {}
        self.on_send: Callable[[str, dict, str], None] | None = None
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

    def approve(self, name: str, language: str, params: int) -> None:
        self.templates.setdefault(name, {})[language] = params

    def approve_configured(self, templates: dict) -> None:
        """Approve every template of a ``WHATSAPP_TEMPLATES`` setting, as Meta would have."""
        for entry in templates.values():
            for language, name in entry["names"].items():
                self.approve(name, language, len(entry.get("params", [])))

    def customer_wrote(self, number: str, at: float | None = None) -> None:
        self.last_inbound[number.lstrip("+")] = time.time() if at is None else at

    def whatsapp_refusal(self, payload: dict) -> tuple[int, int, str] | None:
        """What the Cloud API would refuse in this send: (HTTP status, error code, reason)."""
        kind = payload.get("type")
        if kind == "text":
            wrote = self.last_inbound.get(str(payload.get("to")))
            if wrote is None or time.time() - wrote > 24 * 3600:
                return 400, 131047, "Re-engagement message: more than 24 hours have passed"
            return None
        if kind != "template":
            return 400, 100, f"unsupported type {kind!r}"
        template = payload.get("template") or {}
        languages = self.templates.get(template.get("name"))
        code = (template.get("language") or {}).get("code")
        if not languages or code not in languages:
            return 404, 132001, "Template name does not exist in the translation"
        bodies = [c for c in template.get("components") or [] if c.get("type") == "body"]
        params = bodies[0].get("parameters", []) if bodies else []
        if len(params) != languages[code]:
            return 400, 132000, "Number of parameters does not match the expected number"
        for param in params:
            text = param.get("text")
            if param.get("type") != "text" or not isinstance(text, str) or not text.strip():
                return 400, 131008, "Required parameter is missing"
            if "\n" in text or "\t" in text or "    " in text:
                return 400, 132018, "Parameter has new lines, tabs or more than 4 spaces"
        return None

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
                    refusal = None if failure else fake.whatsapp_refusal(payload)
                    if refusal:
                        failure = (refusal[0], {"code": refusal[1]})
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
                    wamid = "wamid." + uuid.uuid4().hex
                    if fake.on_send is not None:
                        fake.on_send("whatsapp", payload, wamid)
                    return self._answer(
                        200,
                        {
                            "messaging_product": "whatsapp",
                            "contacts": [{"input": payload.get("to"), "wa_id": payload.get("to")}],
                            "messages": [{"id": wamid}],
                        },
                    )
                return self._answer(404, {"error": "unknown path"})

        return Handler
