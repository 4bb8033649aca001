"""The notify tests' fake providers, plus Twilio's list of sent messages (``GET Messages.json``),
which a broadcast asks after a worker died mid-send (see ``pandu.broadcast.services``)."""

from __future__ import annotations

import threading
from urllib.parse import parse_qs, urlparse

from tests.notify.fake_providers import TWILIO_PATH, FakeProviders, Received


class FakeProvidersWithList(FakeProviders):
    """``hold_at=N``: the N-th SMS is received (and listed) but not answered until ``release``
    is set: its sender is then, for certain, between asking and hearing back."""

    def __init__(self, *, hold_at: int = 0):
        self.hold_at = hold_at
        self.holding = threading.Event()
        self.release = threading.Event()
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
                held = fake.hold_at and len(fake.of("twilio")) + 1 == fake.hold_at
                if not (held and TWILIO_PATH.match(self.path)):
                    return super().do_POST()
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                headers = {k.lower(): v for k, v in self.headers.items()}
                fake.received.append(Received("twilio", self.path, headers, form=form))
                fake.holding.set()
                fake.release.wait(60)
                return None  # no answer: the sender is gone by then

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
