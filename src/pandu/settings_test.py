"""Settings for the test suite: the production module in demo mode, with mail kept in memory."""

import os

os.environ.setdefault("PANDU_DEMO", "1")
os.environ.setdefault("PANDU_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from pandu.settings import *  # noqa: E402, F403

# A domain event's receiver that fails is raised, not only logged (pandu.core.events).
EVENTS_RAISE = True

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, tests only

if not os.environ.get("PANDU_MEDIA_ROOT"):
    # Uploads, letters and the demo's signing keys of a test run stay in that run's own folder,
    # never in the checkout's private-media/ (which a demo or an earlier run may hold).
    import atexit as _atexit
    import shutil as _shutil
    import tempfile as _tempfile
    from pathlib import Path as _Path

    MEDIA_ROOT = _Path(_tempfile.mkdtemp(prefix="pandu-test-media-"))
    _atexit.register(_shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
    if not os.environ.get("PANDU_SIGNING_DEMO_DIR"):
        SIGNING_DEMO_DIR = MEDIA_ROOT / "signing-demo"
    if not os.environ.get("PANDU_AUDIT_CHECKPOINT_DIR"):
        AUDIT_CHECKPOINT_DIR = MEDIA_ROOT / "audit-checkpoints"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not the in-memory default: concurrent-booking tests need real separate connections,
    # and SQLite's shared in-memory cache has table locks that a real deployment never sees.
    import tempfile
    from pathlib import Path

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"pandu-test-{os.getpid()}.sqlite3")
    }

# A test database need not survive a power cut: commits skip the disk flush (SQLite's
# ``synchronous=OFF``, PostgreSQL's ``synchronous_commit=off`` for this connection only), which
# the browser and transactional tests, committing on every request, otherwise wait for.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["init_command"] = _options.get("init_command", "") + "PRAGMA synchronous=OFF;"
elif "postgresql" in DATABASES["default"]["ENGINE"]:  # noqa: F405
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = (_options.get("options", "") + " -c synchronous_commit=off").strip()
