"""Sending mail in the background. Messages are rendered before they are queued."""

from __future__ import annotations

import base64
import logging

from django.core.mail import EmailMultiAlternatives
from django_tasks import task

log = logging.getLogger(__name__)


@task()
def send_email(
    *, to: str, subject: str, body: str, html: str = "", attachments: list[dict] | None = None
) -> None:
    """Send one message. ``attachments``: ``{"filename", "content_b64", "mimetype"}`` each."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=[to])
    if html:
        message.attach_alternative(html, "text/html")
    for item in attachments or []:
        message.attach(item["filename"], base64.b64decode(item["content_b64"]), item["mimetype"])
    message.send()
