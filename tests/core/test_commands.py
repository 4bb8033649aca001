"""The command line as an operator uses it: fresh processes, real environment variables."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings

PANDU = [sys.executable, "-m", "pandu.cli"]


def run(args, env_extra, cwd):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PANDU_", "DJANGO_", "DATABASE_URL"))
    }
    env.update(env_extra)
    return subprocess.run(
        PANDU + args, env=env, cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_missing_secret_stops_start_up_with_a_clear_message(tmp_path):
    result = run(["check"], {}, tmp_path)
    assert result.returncode != 0
    assert "PANDU_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def signing_files(folder):
    """A PEM key and certificate, as a mission would install them."""
    from pandu.issuance import signing

    with override_settings(SIGNING_DEMO_DIR=folder):
        files = signing.ensure_demo_keys("ci")
    return {"PANDU_SIGNING_KEY": str(files.key), "PANDU_SIGNING_CERT": str(files.cert)}


def production(tmp_path, *, leave_out=(), **extra):
    """The environment of a production start-up (``leave_out``: settings an operator forgot)."""
    env = {
        "PANDU_SECRET_KEY": "x" * 20 + "production-secret-for-the-check-only-0123456789",
        "PANDU_ALLOWED_HOSTS": "pandu.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
        "PANDU_DATA_KEYS": Fernet.generate_key().decode(),
        "PANDU_LOOKUP_KEY": "lookup-key-for-the-check-only-" + "y" * 20,
        **signing_files(tmp_path / "keys"),
        **extra,
    }
    return {k: v for k, v in env.items() if k not in leave_out}


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run(["check", "--deploy", "--fail-level", "WARNING"], production(tmp_path), tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout


def test_deploy_check_fails_without_a_signing_key_or_with_a_missing_file(tmp_path):
    env = production(tmp_path, leave_out=("PANDU_SIGNING_KEY", "PANDU_SIGNING_CERT"))
    result = run(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode != 0 and "pandu.E002" in result.stderr + result.stdout
    env["PANDU_SIGNING_KEY"] = str(tmp_path / "gone.p12")
    result = run(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode != 0 and "pandu.E003" in result.stderr + result.stdout


def test_deploy_check_fails_without_data_keys(tmp_path):
    env = production(tmp_path, leave_out=("PANDU_DATA_KEYS",))
    result = run(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode != 0
    assert "pandu.E001" in result.stderr + result.stdout


def test_deploy_check_warns_without_a_lookup_key(tmp_path):
    env = production(tmp_path, leave_out=("PANDU_LOOKUP_KEY",))
    result = run(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode != 0
    assert "pandu.W001" in result.stderr + result.stdout
    assert "PANDU_LOOKUP_KEY is not set" in result.stderr + result.stdout


def test_bad_boolean_setting_is_reported(tmp_path):
    result = run(["check"], {"PANDU_DEBUG": "maybe"}, tmp_path)
    assert result.returncode != 0
    assert "PANDU_DEBUG must be true or false" in result.stderr


ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


@pytest.fixture(scope="module")
def first_demo(tmp_path_factory):
    """``pandu demo --no-serve`` on a new SQLite file, run once for this module's tests."""
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "demo.sqlite3"
    first = run(["demo", "--no-serve"], {"DATABASE_URL": f"sqlite:///{db}"}, folder)
    assert first.returncode == 0, first.stderr
    return db, first


def copy_of(first_demo, tmp_path) -> Path:
    """A copy of the first demo's database, for a test to change."""
    db = tmp_path / "demo.sqlite3"
    with sqlite3.connect(first_demo[0]) as source, sqlite3.connect(db) as target:
        source.backup(target)
    return db


@pytest.mark.skipif(ON_POSTGRES, reason="uses its own SQLite file")
def test_demo_is_idempotent_and_tampering_makes_audit_verify_fail(first_demo, tmp_path):
    assert "2 missions" in first_demo[1].stdout
    db = copy_of(first_demo, tmp_path)
    env = {"DATABASE_URL": f"sqlite:///{db}"}

    def counts():
        with sqlite3.connect(db) as conn:
            tables = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
            return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608

    before = counts()
    second = run(["demo", "--no-serve"], env, tmp_path)
    assert second.returncode == 0, second.stderr
    assert "0 missions, 0 services, 0 staff, 0 citizens" in second.stdout
    after = counts()
    before.pop("django_session", None), after.pop("django_session", None)
    assert before == after

    env["PANDU_DEMO"] = "1"
    ok = run(["audit_verify"], env, tmp_path)
    assert ok.returncode == 0 and "intact" in ok.stdout

    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE audit_auditevent SET actor_label = 'someone-else' WHERE seq = 5")
    broken = run(["audit_verify"], env, tmp_path)
    assert broken.returncode != 0
    assert "#5" in broken.stderr


@pytest.mark.skipif(ON_POSTGRES, reason="uses its own SQLite file")
def test_issue_token_prints_the_token_alone_on_the_last_line(first_demo, tmp_path):
    db = copy_of(first_demo, tmp_path)
    env = {"DATABASE_URL": f"sqlite:///{db}", "PANDU_DEMO": "1"}
    result = run(["issue_token", "siti.rahayu@example.org"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip().splitlines()[-1]
    assert token.startswith("pandu_") and " " not in token
    with sqlite3.connect(db) as conn:
        stored = [r[0] for r in conn.execute("SELECT token_hash FROM people_personalaccesstoken")]
    assert token not in stored and len(stored) == 1

    missing = run(["issue_token", "nobody@example.org"], env, tmp_path)
    assert missing.returncode != 0
    assert "No account" in missing.stderr


def test_package_ships_templates_and_static_files():
    import pandu

    root = Path(pandu.__file__).parent
    assert (root / "static/vendor/uswds/css/uswds.min.css").exists()
    assert (root / "templates/base.html").exists()
