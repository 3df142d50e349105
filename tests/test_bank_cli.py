"""The bank commands and the CLI's mixing options, run as a real subprocess."""

from __future__ import annotations

import json
import re

from conftest import GOOD_ITEM, run_cli

from quizgen.concepts import TOPICS, shipped_bank

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_bank_list_json_filters_by_topic_and_type():
    out = run_cli("bank", "list", "--topic", "rnn", "--type", "essay", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    expected = sorted(i.id for i in shipped_bank().items if i.topic == "rnn" and i.type == "essay")
    assert [r["id"] for r in rows] == expected and expected


def test_bank_list_table_and_bad_names():
    out = run_cli("bank", "list", "--topic", "cnn")
    assert out.returncode == 0 and "cnn-resnet-vs-densenet" in out.stdout
    bad = run_cli("bank", "list", "--topic", "quantum")
    assert bad.returncode == 2 and "unknown topic" in bad.stderr and "Traceback" not in bad.stderr
    assert set(TOPICS) <= set(bad.stderr.replace(",", " ").split())


def test_bank_show_both_languages():
    en = run_cli("bank", "show", "rnn-lstm-vs-gru")
    assert en.returncode == 0 and "Key points:" in en.stdout and "[ ] 1." in en.stdout
    zh = run_cli("bank", "show", "rnn-lstm-vs-gru", "--lang", "zh")
    assert zh.returncode == 0 and "要点" in zh.stdout and "遗忘门" in zh.stdout
    js = json.loads(run_cli("bank", "show", "cnn-1x1-single", "--json").stdout)
    assert js["family"] == "bank" and js["parts"][0]["answer"] == ["b"]
    missing = run_cli("bank", "show", "no-such-item")
    assert missing.returncode == 2 and "no bank item" in missing.stderr


def test_bank_validate_shipped_and_broken(tmp_path):
    ok = run_cli("bank", "validate")
    assert ok.returncode == 0 and "all valid" in ok.stdout
    (tmp_path / "mine.toml").write_text('[[item]]\nid = "x-1"\ntopic = "cnn"\ntype = "essay"\n', encoding="utf-8")
    bad = run_cli("bank", "validate", str(tmp_path))
    assert bad.returncode == 1
    assert re.search(r"mine\.toml: x-1: difficulty: ", bad.stderr)
    gone = run_cli("bank", "validate", str(tmp_path / "nope"))
    assert gone.returncode == 2 and "does not exist" in gone.stderr


def test_user_bank_via_option_and_environment(tmp_path):
    (tmp_path / "u.toml").write_text(GOOD_ITEM.replace("my-good", "my-item") + '''
[[item]]
id = "my-broken"
topic = "cnn"
''', encoding="utf-8")
    via_option = run_cli("bank", "list", "--bank", str(tmp_path), "--json")
    assert via_option.returncode == 0
    assert "my-item" in {r["id"] for r in json.loads(via_option.stdout)}
    assert "my-broken" in via_option.stderr and "skipped" in via_option.stderr
    via_env = run_cli("bank", "show", "my-item", env={"QUIZGEN_BANK": str(tmp_path)})
    assert via_env.returncode == 0 and "Pooling has weights." in via_env.stdout


def test_generate_concept_sheet_and_check_self_graded(tmp_path):
    sheet = tmp_path / "s.json"
    out = run_cli("generate", "--kinds", "concept", "-t", "optimizers", "-n", "3", "-s", "4", "-o", str(sheet))
    assert out.returncode == 0, out.stderr
    data = json.loads(sheet.read_text(encoding="utf-8"))
    assert [p["family"] for p in data["problems"]] == ["bank"] * 3
    lines = []
    for n, p in enumerate(data["problems"], 1):
        for part in p["parts"]:
            lines.append(f"{n}{part['id']}: " + (",".join(part["answer"]) if part["kind"] == "choice" else "my answer"))
    answers = tmp_path / "a.txt"
    answers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    checked = run_cli("check", str(sheet), str(answers))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    if any(part["kind"] == "text" for p in data["problems"] for part in p["parts"]):
        assert "Model answer:" in checked.stdout and "[ ] 1." in checked.stdout
    bad = run_cli("generate", "--kinds", "everything", "-n", "2")
    assert bad.returncode == 2 and "kinds" in bad.stderr
