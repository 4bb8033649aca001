"""Rate limits on the booking endpoints and the personal-data export, counted in the shared cache by django-ratelimit.

Signed-in people are counted per account (never per address: many citizens may share one
office or family connection); the e-mail's manage link, used without signing in, per client
address. When the cache cannot be reached the request goes through: booking correctness rests
on the database, the limits only slow down scripts and guessing.
"""

from __future__ import annotations

import ipaddress
import logging
from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from pandu.core.errors import RateLimited

log = logging.getLogger(__name__)

# group -> (setting holding the rate, what is counted)
LIMITS = {
    "booking": ("RATE_BOOKING", "user_or_ip"),
    "manage-link": ("RATE_MANAGE_LINK", "ip"),
    "data-export": ("RATE_DATA_EXPORT", "user_or_ip"),
}
RETRY_AFTER_SECONDS = 60


def client_ip(request) -> str:
    """The client's address: from ``CLIENT_IP_HEADER`` when a proxy sets it, else the peer's."""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header:
        value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        # A proxy appends the address it saw: the rightmost entry is the one it vouches for.
        candidate = value.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 (an address, not a bind)


def check(request, *, group: str) -> None:
    """Count this request against ``group``'s limit; ``RateLimited`` once it is exceeded."""
    setting, key = LIMITS[group]
    rate = getattr(settings, setting, "")
    if not rate:
        return
    try:
        limited = is_ratelimited(request, group=group, key=key, rate=rate, increment=True)
    except Exception:  # the cache is down: let the request through, say so in the log
        log.exception("Rate limit %s could not be checked", group)
        return
    if limited:
        raise RateLimited(
            _("Terlalu banyak permintaan dalam waktu singkat. Tunggu sebentar, lalu coba lagi.")
        )


def page_limit(group: str, methods: tuple[str, ...] = ("POST",)):
    """Limit a page's ``methods``; over the limit it answers with a friendly 429 page."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                try:
                    check(request, group=group)
                except RateLimited as exc:
                    response = render(
                        request, "rate_limited.html", {"message": exc.message}, status=429
                    )
                    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
