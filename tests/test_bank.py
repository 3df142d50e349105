"""The concept bank: every shipped item is valid and bilingual, the areas are covered,
malformed user banks are reported and skipped, items become gradable problems, and sheets
mix concept items deterministically."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import GOOD_ITEM
from quizgen.check import check_problem
from quizgen.concept_problems import draw, to_problem
from quizgen.concepts import TOPICS, TYPES, load_bank, parse_file, shipped_bank, validate_dir
from quizgen.errors import FormatError, QuizgenError
from quizgen.model import Problem, Sheet
from quizgen.selfgrade import checklist, parse_ticks, score_key_points
from quizgen.sheet import generate_sheet

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")
ITEMS = shipped_bank().items
MIN_PER_TOPIC = 5


def texts(item):
    """Every bilingual text of an item."""
    yield item.question
    yield item.answer
    yield from item.key_points
    for m in item.misconceptions:
        yield m.text
        yield m.correction
    yield from item.options
    for left, right in item.pairs:
        yield left
        yield right


def test_shipped_bank_is_valid_and_large_enough():
    items, errors = validate_dir(None)
    assert errors == []
    assert len(items) == len(ITEMS) >= 80
    assert len({i.id for i in items}) == len(items)


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i.id)
def test_item_is_bilingual_and_complete(item):
    for text in texts(item):
        assert text.en.strip() and text.zh.strip()
        assert CJK.search(text.zh) or text.zh == text.en  # formula-only options may be shared
        assert not CJK.search(text.en), text.en
    for text in (item.question, item.answer, *item.key_points):
        assert CJK.search(text.zh), text.zh
    if item.type in ("essay", "short"):
        assert 3 <= len(item.key_points) <= 6
        assert item.misconceptions
    assert item.source and item.topic in TOPICS and item.type in TYPES


@pytest.mark.parametrize("item", [i for i in ITEMS if i.objective], ids=lambda i: i.id)
def test_objective_keys(item):
    if item.type == "single":
        assert len(item.key) == 1 and item.key[0] in "abcdefgh"[:len(item.options)]
    elif item.type == "multiple":
        assert 2 <= len(item.key) < len(item.options) and len(set(item.key)) == len(item.key)
    elif item.type == "truefalse":
        assert isinstance(item.key, bool)
    else:
        assert len({r.en for _, r in item.pairs}) == len(item.pairs) >= 3


def test_every_area_is_covered_with_essay_and_objective_items():
    for topic in TOPICS:
        mine = [i for i in ITEMS if i.topic == topic]
        assert len(mine) >= MIN_PER_TOPIC, topic
        assert any(i.type in ("essay", "short") for i in mine), topic
        assert any(i.objective for i in mine), topic


@pytest.mark.parametrize("needle", [
    "dendrite", "connectionism", "feed-forward", "reinforcement", "overfitting", "nas", "xor",
    "leaky", "cost", "mini-batch", "nesterov", "adam", "reverse-mode", "eager", "pooling", "softmax",
    "alexnet", "googlenet", "vgg", "densenet", "pixel", "bptt", "clipping", "gru", "seq2seq",
    "multi-head", "positional", "bert", "vit", "dropout", "batch", "hopfield", "competitive"])
def test_issue_areas_appear(needle):
    assert any(needle in (i.id + " " + " ".join(i.tags) + " " + i.question.en + " " + i.answer.en).lower() for i in ITEMS), needle


# ------------------------------------------------------------------ malformed user banks

GOOD = GOOD_ITEM

BAD = '''
[[item]]
id = "my-bad-topic"
topic = "quantum"
type = "short"
difficulty = "easy"
source = "x"
question = { en = "Q", zh = "问题" }
answer = { en = "A", zh = "答案" }

[[item]]
id = "my-no-zh"
topic = "cnn"
type = "single"
difficulty = "easy"
source = "x"
question = { en = "Q", zh = "Q in English" }
answer = { en = "A", zh = "答案" }
options = [{ en = "a", zh = "甲" }, { en = "b", zh = "乙" }]
key = "a"

[[item]]
id = "my-bad-key"
topic = "cnn"
type = "single"
difficulty = "easy"
source = "x"
question = { en = "Q", zh = "问题" }
answer = { en = "A", zh = "答案" }
options = [{ en = "a", zh = "甲" }, { en = "b", zh = "乙" }]
key = "c"
'''


@pytest.fixture
def user_bank(tmp_path):
    (tmp_path / "good.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.toml").write_text(BAD, encoding="utf-8")
    (tmp_path / "broken.toml").write_text("[[item]\nid = ", encoding="utf-8")
    return tmp_path


def test_malformed_user_items_are_reported_and_skipped(user_bank):
    reported = []
    bank = load_bank([user_bank], environ={}, report=reported.append)
    assert "my-good" in bank.by_id
    assert not {"my-bad-topic", "my-no-zh", "my-bad-key"} & set(bank.by_id)
    found = {(Path(e.file).name, e.item, e.field) for e in reported}
    assert ("bad.toml", "my-bad-topic", "topic") in found
    assert ("bad.toml", "my-no-zh", "question.zh") in found
    assert ("bad.toml", "my-bad-key", "key") in found
    assert any(e.file.endswith("broken.toml") and "TOML" in e.message for e in reported)
    assert all(str(e).count(":") >= 3 for e in reported)


def test_missing_field_and_duplicate_ids(tmp_path):
    _, errors = parse_file(GOOD.replace('source = "my lecture"\n', ""), "f.toml")
    assert [(e.item, e.field) for e in errors] == [("my-good", "source")]
    (tmp_path / "a.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.toml").write_text(GOOD.replace("my-good", "cnn-pooling"), encoding="utf-8")
    reported = []
    bank = load_bank([tmp_path], environ={}, report=reported.append)
    assert [(e.item, e.field) for e in reported] == [("cnn-pooling", "id")]
    assert bank.get("cnn-pooling").file.startswith("bank/")


def test_environment_variable_adds_folders(user_bank, tmp_path):
    bank = load_bank([], environ={"QUIZGEN_BANK": str(user_bank)}, report=lambda e: None)
    assert "my-good" in bank.by_id
    stale = load_bank([], environ={"QUIZGEN_BANK": str(tmp_path / "nope")}, report=lambda e: None)
    assert stale.errors and len(stale.items) == len(ITEMS)
    with pytest.raises(QuizgenError):
        load_bank([tmp_path / "nope"], environ={})


def test_loader_works_from_installed_layout(tmp_path):
    """Lay the files out as the wheel installs them (bank/ as quizgen/bank/) and load
    through importlib.resources in a python without site-packages."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "quizgen", site / "quizgen", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "bank", site / "quizgen" / "bank", ignore=shutil.ignore_patterns("__pycache__"))
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from quizgen import concepts; "
            "b = concepts.shipped_bank(); print(len(b.items), len(b.errors), concepts._shipped_root())")
    out = subprocess.run([sys.executable, "-S", "-c", code, str(site)], capture_output=True, text=True,
                         cwd=tmp_path, timeout=60)
    assert out.returncode == 0, out.stderr
    n, errors, root = out.stdout.split()
    assert (int(n), int(errors)) == (len(ITEMS), 0)
    assert Path(root) == site / "quizgen" / "bank"


# ------------------------------------------------------------------ problems and grading

@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i.id)
def test_item_problem_round_trips_and_grades(item):
    problem = to_problem(item)
    assert Problem.from_dict(problem.to_dict()) == problem
    assert problem.family == "bank" and problem.seed is None and problem.params == {"id": item.id}
    if item.type in ("essay", "short"):
        results = check_problem(problem, 1, {"a": "my essay"})
        assert [r.status for r in results] == ["self"]
        assert problem.parts[0].key_points == item.key_points
        return
    right = {p.id: ",".join(p.answer) for p in problem.parts}
    assert all(r.status == "correct" for r in check_problem(problem, 1, right))
    if item.type == "truefalse":
        assert problem.parts[0].answer == (["a"] if item.key else ["b"])
    if item.type in ("single", "multiple"):
        assert tuple(problem.parts[0].answer) == item.key
    if item.type == "matching":  # each left entry's key letter points at its own right entry
        for part, (_, right_text) in zip(problem.parts, item.pairs):
            assert part.choices["abcdefgh".index(part.answer[0])] == right_text
    wrong = {p.id: next(c for c in "abcdefgh"[:len(p.choices)] if [c] != p.answer) for p in problem.parts}
    assert all(r.status == "wrong" for r in check_problem(problem, 1, wrong))


def test_self_grading_score_and_ticks():
    assert score_key_points(4, [0, 2]) == 0.5
    assert score_key_points(3, [0, 0, 1]) == pytest.approx(2 / 3)
    assert score_key_points(5, []) == 0.0
    with pytest.raises(ValueError):
        score_key_points(3, [3])
    assert parse_ticks("1 3", 4) == [0, 2]
    assert parse_ticks("3，1", 4) == [0, 2]
    assert parse_ticks("all", 3) == [0, 1, 2]
    assert parse_ticks("none", 3) == []
    for bad in ("5", "0 1", "x", "1.5"):
        with pytest.raises(FormatError):
            parse_ticks(bad, 4)
    item = shipped_bank().get("rnn-lstm-vs-gru")
    lines = checklist(item.key_points, "zh", [1])
    assert lines[1].startswith("[x] 2.") and lines[0].startswith("[ ] 1.") and CJK.search(lines[0])


# ------------------------------------------------------------------ mixing

def test_concept_sheets_are_deterministic_and_filtered():
    a = generate_sheet(["rnn", "attention"], 6, 11, kinds="concept")
    b = generate_sheet(["rnn", "attention"], 6, 11, kinds="concept")
    assert a.to_json() == b.to_json()
    assert Sheet.from_json(a.to_json()) == a
    assert all(p.family == "bank" and p.topic in ("rnn", "attention") for p in a.problems)
    assert len({p.params["id"] for p in a.problems}) == 6
    other = generate_sheet(["rnn", "attention"], 6, 12, kinds="concept")
    assert [p.params for p in other.problems] != [p.params for p in a.problems]


def test_all_kinds_mixes_and_computed_is_unchanged():
    computed = generate_sheet(["cnn"], 6, 5)
    assert all(p.family != "bank" for p in computed.problems)
    mixed = generate_sheet(["cnn"], 6, 5, kinds="all")
    families = [p.family for p in mixed.problems]
    assert families.count("bank") == 3 and all(p.topic == "cnn" for p in mixed.problems)
    assert mixed.to_json() == generate_sheet(["cnn"], 6, 5, kinds="all").to_json()
    # a topic with only concept items gives a concept-only sheet under kinds=all (rnn has families now)
    from quizgen.registry import load_families

    computed_topics = {f.topic for f in load_families().values()}
    only = next(t for t in ("other-networks", "regularization", "autodiff", "attention") if t not in computed_topics)
    assert all(p.family == "bank" for p in generate_sheet([only], 4, 5, kinds="all").problems)


def test_bad_mixing_requests_are_clear_errors():
    with pytest.raises(QuizgenError, match="only"):
        generate_sheet(["other-networks"], 50, 1, kinds="concept")
    with pytest.raises(QuizgenError, match="kinds"):
        generate_sheet([], 3, 1, kinds="both")
    with pytest.raises(QuizgenError):
        generate_sheet(["quantum"], 3, 1, kinds="all")
    with pytest.raises(QuizgenError):
        generate_sheet(["cnn.shape"], 3, 1, kinds="concept")


def test_draw_prefers_requested_difficulty():
    bank = shipped_bank()
    easy = draw(bank, ["foundations"], 3, 7, "easy")
    assert all(p.difficulty == "easy" for p in easy)
    counts = Counter(i.difficulty for i in bank.select(["foundations"]))
    assert counts["easy"] >= 3
