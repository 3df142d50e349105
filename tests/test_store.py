"""The progress store: location, WAL, migration from an older schema, concurrent sessions,
and a corrupt file (clear message, moved aside only when asked, never deleted)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
import subprocess
import sys

import pytest
from quiz_helpers import ROOT, quiz_env, rows, spawn_quiz, typed

from conftest import run_cli
from quizgen.errors import QuizgenError
from quizgen.sheet import generate_sheet
from quizgen.store import SCHEMA_VERSION, CorruptDatabase, Store, default_path, move_aside

# The first released schema, written out here by hand (not taken from quizgen.store).
V1 = """
CREATE TABLE sessions (id INTEGER PRIMARY KEY, started TEXT NOT NULL, ended TEXT, mode TEXT NOT NULL);
CREATE TABLE answers (id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id),
    ts TEXT NOT NULL, family TEXT NOT NULL, topic TEXT NOT NULL, seed INTEGER, difficulty TEXT NOT NULL,
    problem INTEGER NOT NULL, part TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
    score REAL NOT NULL, given TEXT);
INSERT INTO sessions VALUES (1, '2025-03-01T09:00:00+00:00', '2025-03-01T09:10:00+00:00', 'quiz');
INSERT INTO answers VALUES (1, 1, '2025-03-01T09:01:00+00:00', 'cnn.shape', 'cnn', 5, 'medium', 1, 'a',
    'shape', 'correct', 1.0, '32x48x48');
INSERT INTO answers VALUES (2, 1, '2025-03-01T09:02:00+00:00', 'cnn.shape', 'cnn', 5, 'medium', 1, 'b',
    'shape', 'wrong', 0.0, '32x23x23');
PRAGMA user_version = 1;
"""


def test_path_follows_quizgen_home(tmp_path):
    assert default_path({"QUIZGEN_HOME": str(tmp_path)}) == tmp_path / "quizgen.db"
    assert default_path({}).name == "quizgen.db" and "quizgen" in str(default_path({}).parent)


def test_new_store_is_wal_at_current_schema(tmp_path):
    store = Store(tmp_path / "sub" / "q.db")
    assert store.schema_version() == SCHEMA_VERSION
    mode = sqlite3.connect(tmp_path / "sub" / "q.db").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    store.close()


def test_migration_from_v1_keeps_rows(tmp_path):
    db = sqlite3.connect(tmp_path / "quizgen.db")
    db.executescript(V1)
    db.close()
    out = run_cli("stats", "--json", env={"QUIZGEN_HOME": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    import json

    data = json.loads(out.stdout)
    assert data["parts"] == 2 and data["families"]["cnn.shape"]["accuracy"] == 0.5
    db = sqlite3.connect(tmp_path / "quizgen.db")
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("SELECT item, hints, given FROM answers ORDER BY id").fetchall() == [
        ("cnn.shape", 0, "32x48x48"), ("cnn.shape", 0, "32x23x23")]
    assert db.execute("SELECT count(*) FROM cards").fetchone()[0] == 0


def test_newer_schema_is_refused_untouched(tmp_path):
    path = tmp_path / "quizgen.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.close()
    with pytest.raises(QuizgenError, match="newer than this quizgen"):
        Store(path)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 5


def corrupt(home) -> bytes:
    home.mkdir(parents=True, exist_ok=True)
    junk = b"this is not a database, just some bytes left by a crash " * 100
    (home / "quizgen.db").write_bytes(junk)
    return junk


def test_corrupt_db_piped_quiz_is_one_line_and_untouched(tmp_path):
    junk = corrupt(tmp_path)
    out = run_cli("quiz", "-n", "1", "--seed", "1", input="", env={"QUIZGEN_HOME": str(tmp_path)})
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "unreadable" in out.stderr and "stats --repair" in out.stderr
    assert "Traceback" not in out.stderr + out.stdout
    assert (tmp_path / "quizgen.db").read_bytes() == junk


def test_corrupt_db_stats_and_repair(tmp_path):
    junk = corrupt(tmp_path)
    out = run_cli("stats", env={"QUIZGEN_HOME": str(tmp_path)})
    assert out.returncode == 2 and "unreadable" in out.stderr and out.stderr.count("\n") == 1
    out = run_cli("stats", "--repair", env={"QUIZGEN_HOME": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    aside = list(tmp_path.glob("quizgen.db.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == junk
    assert Store(tmp_path / "quizgen.db").check() == "ok"
    out = run_cli("stats", "--repair", env={"QUIZGEN_HOME": str(tmp_path)})
    assert "nothing to repair" in out.stdout and len(list(tmp_path.glob("quizgen.db.corrupt-*"))) == 1


def test_corrupt_db_interactive_offer(tmp_path):
    junk = corrupt(tmp_path)
    problem = generate_sheet(["cnn.params"], 1, 3, "medium", "en").problems[0]
    child = spawn_quiz(tmp_path, "--topic", "cnn.params", "-n", "1", "--seed", "3")
    child.expect_exact("Move it aside and start a fresh one?")
    child.sendline("y")
    child.expect_exact("1a › ")
    child.sendline(typed(problem.parts[0]))
    child.expect_exact("Total: 1.00 of 1 parts")
    child.expect(__import__("pexpect").EOF)
    child.close()
    assert child.exitstatus == 0
    assert [r["status"] for r in rows(tmp_path)] == ["correct"]
    assert [p.read_bytes() for p in tmp_path.glob("quizgen.db.corrupt-*")] == [junk]


def test_corrupt_db_interactive_refusal_keeps_file(tmp_path):
    junk = corrupt(tmp_path)
    child = spawn_quiz(tmp_path, "-n", "1")
    child.expect_exact("Move it aside and start a fresh one?")
    child.sendline("n")
    child.expect(__import__("pexpect").EOF)
    child.close()
    assert child.exitstatus == 2 and "Traceback" not in child.before
    assert (tmp_path / "quizgen.db").read_bytes() == junk and not list(tmp_path.glob("*.corrupt-*"))


def test_move_aside_never_overwrites(tmp_path):
    path = tmp_path / "quizgen.db"
    path.write_bytes(b"one")
    first = move_aside(path)
    path.write_bytes(b"two")
    second = move_aside(path)
    assert first != second and first.read_bytes() == b"one" and second.read_bytes() == b"two"


def test_corrupt_error_type(tmp_path):
    corrupt(tmp_path)
    with pytest.raises(CorruptDatabase):
        Store(tmp_path / "quizgen.db")


def test_two_sessions_at_once(tmp_path):
    """Two quizzes answering at the same time into one database: every row lands, no corruption.

    Both sessions are made to overlap: each gets its first answer, and only when both have
    echoed it (both sessions are open) do the remaining answers and the end of input follow."""
    import time

    count = 40
    procs, lines, outs = [], [], []
    for seed in (31, 32):
        problems = generate_sheet(["cnn.params"], count, seed, "medium", "en").problems
        lines.append([typed(p.parts[0]) + "\n" for p in problems])
        outs.append(tmp_path / f"out-{seed}.txt")
        with open(outs[-1], "w") as out:
            procs.append(subprocess.Popen([sys.executable, "-m", "quizgen", "quiz", "-t", "cnn.params",
                                           "-n", str(count), "--seed", str(seed)], cwd=ROOT, env=quiz_env(tmp_path),
                                          stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT, text=True))
    for proc, answers in zip(procs, lines):
        proc.stdin.write(answers[0])
        proc.stdin.flush()
    deadline = time.monotonic() + 120
    while not all("1a: " in out.read_text() for out in outs):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs), outs[0].read_text()[-2000:]
        time.sleep(0.05)
    for proc, answers in zip(procs, lines):
        proc.stdin.write("".join(answers[1:]))
        proc.stdin.close()
    assert [p.wait(timeout=120) for p in procs] == [0, 0], outs[0].read_text()[-2000:]
    got = rows(tmp_path)
    assert len(got) == 2 * count and all(r["status"] == "correct" for r in got)
    assert sorted({r["session_id"] for r in got}) == [1, 2]
    s1, s2 = rows(tmp_path, "sessions")
    assert s1["started"] <= s2["ended"] and s2["started"] <= s1["ended"]  # they ran at the same time
    assert Store(tmp_path / "quizgen.db").check() == "ok"
    cards = {c["item"]: c["reviews"] for c in rows(tmp_path, "cards")}
    assert cards == {"cnn.params": 2 * count}


def _open_at_barrier(path: str, barrier, results) -> None:
    from quizgen.store import Store

    barrier.wait()
    try:
        Store(Path(path)).close()
        results.put("ok")
    except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
        results.put(f"{type(exc).__name__}: {exc}")


def test_many_processes_create_one_new_database_at_once(tmp_path):
    """Switching a new file to WAL and its first migration race when quizzes start together."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    for round_ in range(4):
        path = tmp_path / f"new-{round_}.db"
        barrier, results = ctx.Barrier(6), ctx.Queue()
        procs = [ctx.Process(target=_open_at_barrier, args=(str(path), barrier, results)) for _ in range(6)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert sorted(results.get(timeout=5) for _ in procs) == ["ok"] * 6
        assert Store(path).check() == "ok"
