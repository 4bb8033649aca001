"""``pandu ikm FILE.csv`` as scripts use it: JSON on stdout, bad rows named, status 2 on bad input."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

HEADER = "u1,u2,u3,u4,u5,u6,u7,u8,u9,service,channel,date\n"


def run(path) -> tuple[dict, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ikm", str(path), stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


def write(tmp_path, text, name="responses.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_contract_keys_for_one_respondent_with_all_fours(tmp_path):
    out, err = run(write(tmp_path, "u1,u2,u3,u4,u5,u6,u7,u8,u9\n4,4,4,4,4,4,4,4,4\n"))
    assert out == {
        "ikm": 100.0,
        "category": "A",
        "label": "Sangat Baik",
        "respondents": 1,
        "per_element": {f"u{i}": 4.0 for i in range(1, 10)},
        "rejected_rows": [],
    }
    assert err == ""


def test_bad_rows_are_reported_by_number_and_never_counted(tmp_path):
    text = (
        HEADER
        + "4,4,4,4,4,4,4,4,4,paspor-ganti,weekday,2026-03-02\n"  # row 2
        + "3,3,3,3,3,3,3,3,3,legalisasi,saturday,2026-03-07\n"  # row 3
        + "3,3,3,3,3,3,3,3,5,legalisasi,weekday,2026-03-09\n"  # row 4: 5 is out of range
        + "3,3,3,,3,3,3,3,3,legalisasi,weekday,2026-03-09\n"  # row 5: u4 missing
        + "1,1,1,1,1,1,1,1\n"  # row 6: u9 missing
    )
    out, err = run(write(tmp_path, text))
    assert out["respondents"] == 2 and out["ikm"] == 87.5 and out["category"] == "B"
    assert [r["row"] for r in out["rejected_rows"]] == [4, 5, 6]
    assert "u9" in out["rejected_rows"][0]["reason"] and "u4" in out["rejected_rows"][1]["reason"]
    assert [line.split(" ")[1] for line in err.splitlines()] == ["4", "5", "6"]
    assert set(out["by_channel"]) == {"weekday", "saturday"}
    assert out["by_service"]["legalisasi"]["ikm"] == 75.0
    assert out["by_month"]["2026-03"]["respondents"] == 2


def test_the_label_follows_the_active_language(tmp_path):
    from django.utils import translation

    path = write(tmp_path, "u1,u2,u3,u4,u5,u6,u7,u8,u9\n3,3,3,3,3,3,3,3,3\n")
    with translation.override("en"):
        out, _err = run(path)
    assert out["category"] == "C" and out["ikm"] == 75.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "tidak dapat dibaca"),
        ("", "kosong"),
        ("u1,u2,u3,u4,u5,u6,u7,u8\n4,4,4,4,4,4,4,4\n", "u9"),
        (HEADER + "0,0,0,0,0,0,0,0,0\n9,9,9,9,9,9,9,9,9\n", "tidak ada baris jawaban yang sah"),
    ],
)
def test_unreadable_or_empty_input_exits_2_with_a_message(tmp_path, text, message):
    path = tmp_path / "missing.csv" if text is None else write(tmp_path, text)
    with pytest.raises(CommandError) as refused:
        run(path)
    assert refused.value.returncode == 2 and message in str(refused.value)


def test_not_utf8_exits_2(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"u1,u2,u3,u4,u5,u6,u7,u8,u9\n\xff\xfe,4\n")
    with pytest.raises(CommandError) as refused:
        run(path)
    assert refused.value.returncode == 2
