"""The rate-limit cache as an operator configures it: fresh processes, real environment."""

from tests.core.test_commands import production, run


def test_a_shared_redis_cache_passes_the_deploy_check(tmp_path):
    env = production(tmp_path, PANDU_CACHE_URL="redis://127.0.0.1:6379/0")
    result = run(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout


def test_an_unknown_cache_address_stops_start_up_clearly(tmp_path):
    result = run(["check"], production(tmp_path, PANDU_CACHE_URL="memcache://x"), tmp_path)
    assert result.returncode != 0
    assert "PANDU_CACHE_URL must be a redis://" in result.stderr
    assert "Traceback" not in result.stderr
