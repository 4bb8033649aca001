"""The notify tests' fake providers, plus Twilio's list of sent messages (``GET Messages.json``),
which a broadcast asks after a worker died mid-send (see ``pandu.broadcast.services``)."""

from __future__ import annotations

import threading
from urllib.parse import parse_qs, urlparse

from tests.notify.fake_providers import TWILIO_PATH, FakeProviders


class FakeProvidersWithList(FakeProviders):
    def __init__(self, *, delay: float = 0.0):
        self.delay = delay  # seconds each send takes, to widen the window a kill may hit
        self.sids: list[str] = []
        super().__init__()

    def twilio_bodies(self) -> dict[str, list[str]]:
        """Every SMS body received, by the number it went to."""
        bodies: dict[str, list[str]] = {}
        for request in self.of("twilio"):
            bodies.setdefault(request.form["To"], []).append(request.form["Body"])
        return bodies

    def _handler(self):
        fake = self
        base = super()._handler()

        class Handler(base):
            def do_POST(self):  # noqa: N802
                if fake.delay:
                    threading.Event().wait(fake.delay)
                return super().do_POST()

            def do_GET(self):  # noqa: N802
                url = urlparse(self.path)
                match = TWILIO_PATH.match(url.path)
                if not match:
                    return self._answer(404, {"error": "unknown path"})
                to = parse_qs(url.query).get("To", [None])[0]
                messages = [
                    {
                        "sid": f"SMfound{i:06d}",
                        "to": r.form.get("To"),
                        "from": r.form.get("From"),
                        "body": r.form.get("Body"),
                        "status": "sent",
                    }
                    for i, r in enumerate(fake.of("twilio"))
                    if to is None or r.form.get("To") == to
                ]
                self._answer(
                    200,
                    {
                        "messages": messages,
                        "end": len(messages),
                        "first_page_uri": url.path,
                        "next_page_uri": None,
                        "page": 0,
                        "page_size": 200,
                        "previous_page_uri": None,
                        "start": 0,
                        "uri": self.path,
                    },
                )

        return Handler
