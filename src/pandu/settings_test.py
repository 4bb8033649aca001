"""Settings for the test suite: the production module in demo mode, with mail kept in memory."""

import os

os.environ.setdefault("PANDU_DEMO", "1")
os.environ.setdefault("PANDU_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from pandu.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, tests only
