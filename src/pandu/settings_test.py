"""Settings for the test suite: the production module in demo mode, with mail kept in memory."""

import os

os.environ.setdefault("PANDU_DEMO", "1")
os.environ.setdefault("PANDU_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from pandu.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, tests only

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not the in-memory default: concurrent-booking tests need real separate connections,
    # and SQLite's shared in-memory cache has table locks that a real deployment never sees.
    import tempfile
    from pathlib import Path

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"pandu-test-{os.getpid()}.sqlite3")
    }
