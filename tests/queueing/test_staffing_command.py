"""``pandu staffing`` as scripts use it: JSON out, status 2 and a message on stderr for bad input."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from pandu.queueing import erlang

ARGS = [
    "--arrivals-per-hour",
    "30",
    "--service-minutes",
    "12",
    "--target-wait-minutes",
    "15",
    "--target-share",
    "0.8",
]


def run(*args) -> dict:
    out = io.StringIO()
    call_command("staffing", *args, stdout=out)
    return json.loads(out.getvalue())


def test_json_carries_the_erlang_c_answer():
    out = run(*ARGS, "--json")
    expected = erlang.counters_needed(
        arrivals_per_hour=30, service_minutes=12, target_wait_minutes=15, target_share=0.8
    )
    assert {"counters", "p_wait", "mean_wait_minutes", "service_level"} <= set(out)
    assert out["counters"] == expected.counters
    assert out["p_wait"] == pytest.approx(expected.p_wait, abs=1e-4)
    assert out["mean_wait_minutes"] == pytest.approx(expected.mean_wait_minutes, abs=1e-4)
    assert out["service_level"] == pytest.approx(expected.service_level, abs=1e-4)
    assert out["service_level"] >= 0.8
    assert not any(key.startswith("simulated_") for key in out)


def test_simulate_adds_the_simulated_figures_under_their_own_keys():
    out = run(*ARGS, "--simulate", "--runs", "20", "--seed", "3", "--json")
    for key in ("p_wait", "mean_wait_minutes", "service_level"):
        assert 0 <= out[f"simulated_{key}"] <= (1 if key != "mean_wait_minutes" else 60)
    assert (
        out["simulated_p50_wait_minutes"]
        <= out["simulated_p90_wait_minutes"]
        <= out["simulated_p95_wait_minutes"]
    )
    assert out["simulated_sessions"] == 20 and out["seed"] == 3
    # About 30 walk-ins an hour for 4 hours, 20 times.
    assert 2000 < out["simulated_tickets"] < 2800
    assert run(*ARGS, "--simulate", "--runs", "20", "--seed", "3", "--json") == out


def test_without_json_one_sentence():
    out = io.StringIO()
    call_command("staffing", *ARGS, stdout=out)
    assert out.getvalue().startswith("7 loket")


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--arrivals-per-hour", "0", "--arrivals-per-hour harus bilangan lebih dari 0"),
        ("--arrivals-per-hour", "-4", "--arrivals-per-hour harus bilangan lebih dari 0"),
        ("--arrivals-per-hour", "nan", "--arrivals-per-hour harus bilangan lebih dari 0"),
        ("--arrivals-per-hour", "1e9", "Terlalu banyak loket"),
        ("--service-minutes", "0", "--service-minutes harus bilangan lebih dari 0"),
        ("--target-wait-minutes", "-1", "--target-wait-minutes harus 0 atau lebih"),
        ("--target-share", "1.2", "--target-share harus pecahan antara 0 dan 1"),
        ("--target-share", "1", "--target-share harus pecahan antara 0 dan 1"),
        ("--target-share", "0", "--target-share harus pecahan antara 0 dan 1"),
        ("--target-share", "-0.5", "--target-share harus pecahan antara 0 dan 1"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(option, value, message):
    args = list(ARGS)
    args[args.index(option) + 1] = value
    with pytest.raises(CommandError) as err:
        call_command("staffing", *args, "--json")
    assert err.value.returncode == 2
    assert message in str(err.value)


def test_as_a_script_missing_options_and_bad_input_go_to_stderr():
    env = {**os.environ, "PANDU_DEBUG": "1"}
    pandu = [sys.executable, "-m", "pandu.cli", "staffing"]
    missing = subprocess.run(
        [*pandu, "--service-minutes", "12", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert missing.returncode == 2 and missing.stdout == ""
    assert "--arrivals-per-hour" in missing.stderr and "required" in missing.stderr

    bad = list(ARGS)
    bad[bad.index("--service-minutes") + 1] = "-3"
    refused = subprocess.run(
        [*pandu, *bad, "--json"], capture_output=True, text=True, env=env, check=False
    )
    assert refused.returncode == 2 and refused.stdout == ""
    assert "--service-minutes" in refused.stderr

    ok = subprocess.run(
        [*pandu, *ARGS, "--json"], capture_output=True, text=True, env=env, check=True
    )
    assert json.loads(ok.stdout)["counters"] == 7
