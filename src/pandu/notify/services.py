"""Notifications in the recipient's language, sent after the surrounding transaction commits."""

from __future__ import annotations

import base64
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from pandu.notify.tasks import send_email


def email_send(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str,
    attachments: list[tuple[str, bytes, str]] = (),
) -> None:
    """Render ``notify/<template>.subject.txt`` and ``.body.txt`` in ``language`` and queue it.

    ``attachments`` are ``(filename, content, mimetype)``. The message leaves only if the
    transaction that asked for it commits.
    """
    with translation.override(language):
        subject = " ".join(render_to_string(f"notify/{template}.subject.txt", context).split())
        body = render_to_string(f"notify/{template}.body.txt", context)
    files = [
        {"filename": name, "content_b64": base64.b64encode(content).decode(), "mimetype": mimetype}
        for name, content, mimetype in attachments
    ]
    transaction.on_commit(
        lambda: send_email.enqueue(to=to, subject=subject, body=body, attachments=files)
    )
