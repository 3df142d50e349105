"""Progress kept in SQLite: quiz sessions, one row per graded part, and review cards.

    path     = $QUIZGEN_HOME/quizgen.db, else platformdirs.user_data_dir("quizgen")/quizgen.db
    schema   = len(MIGRATIONS), kept in `PRAGMA user_version`; an older file is migrated
               in order, inside one IMMEDIATE transaction (so two sessions cannot both migrate)
    writes   = autocommit, one statement (or one IMMEDIATE transaction) each, in WAL mode with
               a busy timeout: two quizzes running at once take turns and never corrupt the file

Every timestamp is UTC ISO-8601 text (`2025-01-31T09:15:00+00:00`).  A file that SQLite
cannot read as a database raises `CorruptDatabase`, whose message offers to move it aside
(`move_aside` renames it, with its -wal/-shm files, to `quizgen.db.corrupt-<timestamp>`);
nothing is ever deleted.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from quizgen.errors import QuizgenError

DB_NAME = "quizgen.db"
BUSY_TIMEOUT_MS = 10_000

# Ordered migrations: MIGRATIONS[i] takes a database from schema i to schema i + 1.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: sessions and graded parts
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY, started TEXT NOT NULL, ended TEXT, mode TEXT NOT NULL)""",
        """CREATE TABLE answers (
            id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id),
            ts TEXT NOT NULL, family TEXT NOT NULL, topic TEXT NOT NULL, seed INTEGER,
            difficulty TEXT NOT NULL, problem INTEGER NOT NULL, part TEXT NOT NULL,
            kind TEXT NOT NULL, status TEXT NOT NULL, score REAL NOT NULL, given TEXT)""",
    ),
    (  # 2: review cards (FSRS), items (family or bank:<id>), hints and diagnosis per part
        "ALTER TABLE sessions ADD COLUMN seed INTEGER",
        "ALTER TABLE sessions ADD COLUMN lang TEXT NOT NULL DEFAULT 'en'",
        "ALTER TABLE answers ADD COLUMN item TEXT",
        "UPDATE answers SET item = family",
        "ALTER TABLE answers ADD COLUMN hints INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE answers ADD COLUMN format_errors INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE answers ADD COLUMN read_as TEXT",
        "ALTER TABLE answers ADD COLUMN mistake TEXT",
        "ALTER TABLE answers ADD COLUMN seconds REAL",
        "CREATE INDEX answers_ts ON answers(ts)",
        "CREATE INDEX answers_item ON answers(item)",
        """CREATE TABLE cards (
            item TEXT PRIMARY KEY, topic TEXT NOT NULL, card TEXT NOT NULL, due TEXT NOT NULL,
            reviews INTEGER NOT NULL DEFAULT 0, lapses INTEGER NOT NULL DEFAULT 0, updated TEXT NOT NULL)""",
    ),
    (  # 3: timed mock exams (`quizgen exam --time`): marks so far, per question as JSON
        """CREATE TABLE exams (
            id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id),
            started TEXT NOT NULL, ended TEXT, seed INTEGER NOT NULL, lang TEXT NOT NULL,
            minutes REAL NOT NULL, total INTEGER NOT NULL, marks REAL NOT NULL DEFAULT 0,
            questions TEXT NOT NULL, reason TEXT)""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

ANSWER_FIELDS = ("session_id", "ts", "item", "family", "topic", "seed", "difficulty", "problem", "part",
                 "kind", "status", "score", "hints", "format_errors", "given", "read_as", "mistake", "seconds")


class CorruptDatabase(QuizgenError):
    """The progress file is not a readable SQLite database."""

    def __init__(self, path: Path, detail: str):
        self.path = path
        super().__init__(f"progress database {path} is unreadable ({detail}); "
                         f"`quizgen stats --repair` moves it aside and starts a fresh one")


def _while_busy(work: Callable[[], Any]) -> Any:
    """Run `work`, retrying while another process holds the file.  Switching to WAL and the
    first migration can answer "locked" at once, without waiting out the busy timeout, when
    two quizzes open a new database at the same moment."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return work()
        except (sqlite3.OperationalError, QuizgenError) as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(timezone.utc)


def data_dir(environ: dict | None = None) -> Path:
    env = os.environ if environ is None else environ
    if env.get("QUIZGEN_HOME"):
        return Path(env["QUIZGEN_HOME"])
    import platformdirs

    return Path(platformdirs.user_data_dir("quizgen", appauthor=False))


def default_path(environ: dict | None = None) -> Path:
    return data_dir(environ) / DB_NAME


_CORRUPT = {"SQLITE_NOTADB", "SQLITE_CORRUPT"}


def _is_corrupt(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name in _CORRUPT or "not a database" in str(exc) or "malformed" in str(exc)


def move_aside(path: Path, now: datetime | None = None) -> Path:
    """Rename a database (and its -wal/-shm files) to `<name>.corrupt-<UTC timestamp>`."""
    stamp = (now or now_utc()).astimezone(timezone.utc).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    try:
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.rename(target.with_name(target.name + suffix))
        path.rename(target)
    except OSError as exc:
        raise QuizgenError(f"cannot move {path} aside: {exc.strerror or exc}") from None
    return target


@dataclass(frozen=True)
class CardRow:
    item: str
    topic: str
    card: str  # fsrs Card JSON
    due: datetime
    reviews: int
    lapses: int


class Store:
    """The progress database; every method turns SQLite failures into QuizgenErrors."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise QuizgenError(f"cannot create {self.path.parent}: {exc.strerror or exc}") from None
        if self.path.is_dir():
            raise QuizgenError(f"progress database {self.path} is a directory")
        try:
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise QuizgenError(f"cannot open progress database {self.path}: {exc}") from None
        self.db.row_factory = sqlite3.Row
        with self._errors():
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.db.execute("PRAGMA foreign_keys = ON")
            _while_busy(lambda: self.db.execute("PRAGMA journal_mode = WAL"))
        _while_busy(self._migrate)

    @classmethod
    def open_default(cls) -> Store:
        return cls(default_path())

    # ------------------------------------------------------------------ plumbing
    def _errors(self):
        store = self

        class _Guard:
            def __enter__(self):
                return self

            def __exit__(self, kind, exc, tb):
                if exc is None or not isinstance(exc, sqlite3.Error):
                    return False
                if _is_corrupt(exc):
                    raise CorruptDatabase(store.path, str(exc)) from None
                if "locked" in str(exc) or "busy" in str(exc):
                    raise QuizgenError(f"progress database {store.path} is busy (another quizgen holds it); "
                                       "try again") from None
                raise QuizgenError(f"progress database {store.path}: {exc}") from None

        return _Guard()

    def _transaction(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run `work` in one IMMEDIATE transaction (the write lock is taken up front)."""
        with self._errors():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                result = work(self.db)
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
            return result

    def schema_version(self) -> int:
        with self._errors():
            return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        if self.schema_version() == SCHEMA_VERSION:
            return

        def work(db: sqlite3.Connection) -> None:
            version = int(db.execute("PRAGMA user_version").fetchone()[0])  # again, under the lock
            if version > SCHEMA_VERSION:
                raise QuizgenError(f"progress database {self.path} has schema {version}, newer than this "
                                   f"quizgen knows ({SCHEMA_VERSION}); upgrade quizgen")
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[target - 1]:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {target}")

        self._transaction(work)

    def check(self) -> str:
        """SQLite's own integrity check: 'ok' or the first problem found."""
        with self._errors():
            return str(self.db.execute("PRAGMA quick_check").fetchone()[0])

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ sessions and answers
    def start_session(self, mode: str, seed: int | None, lang: str, now: datetime) -> int:
        with self._errors():
            cur = self.db.execute("INSERT INTO sessions (started, mode, seed, lang) VALUES (?, ?, ?, ?)",
                                  (iso(now), mode, seed, lang))
            return int(cur.lastrowid)

    def end_session(self, session_id: int, now: datetime) -> None:
        with self._errors():
            self.db.execute("UPDATE sessions SET ended = ? WHERE id = ?", (iso(now), session_id))

    def record_answer(self, **row: Any) -> None:
        """Write one graded part at once (autocommit: durable before the next prompt)."""
        unknown = set(row) - set(ANSWER_FIELDS)
        if unknown:
            raise ValueError(f"unknown answer fields {sorted(unknown)}")
        if isinstance(row.get("ts"), datetime):
            row["ts"] = iso(row["ts"])
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with self._errors():
            self.db.execute(f"INSERT INTO answers ({names}) VALUES ({marks})", tuple(row.values()))

    def answers(self, since: datetime | None = None) -> list[dict]:
        query = "SELECT * FROM answers"
        args: tuple = ()
        if since is not None:
            query, args = query + " WHERE ts >= ?", (iso(since),)
        with self._errors():
            return [dict(r) for r in self.db.execute(query + " ORDER BY ts, id", args)]

    def iter_sessions(self) -> Iterator[dict]:
        with self._errors():
            yield from (dict(r) for r in self.db.execute("SELECT * FROM sessions ORDER BY id").fetchall())

    def last_difficulty(self, item: str) -> str | None:
        with self._errors():
            row = self.db.execute("SELECT difficulty FROM answers WHERE item = ? ORDER BY ts DESC, id DESC LIMIT 1",
                                  (item,)).fetchone()
        return row[0] if row else None

    # ------------------------------------------------------------------ mock exams
    def start_exam(self, session_id: int, started: datetime, seed: int, lang: str, minutes: float, total: int,
                   questions: str) -> int:
        with self._errors():
            cur = self.db.execute(
                "INSERT INTO exams (session_id, started, seed, lang, minutes, total, questions) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (session_id, iso(started), seed, lang, minutes, total, questions))
            return int(cur.lastrowid)

    def update_exam(self, exam_id: int, marks: float, questions: str, ended: datetime | None = None,
                    reason: str | None = None) -> None:
        """The marks so far (after every graded part), and at the end when and why it ended."""
        with self._errors():
            self.db.execute("UPDATE exams SET marks = ?, questions = ?, ended = COALESCE(?, ended), "
                            "reason = COALESCE(?, reason) WHERE id = ?",
                            (marks, questions, iso(ended) if ended else None, reason, exam_id))

    def exams(self) -> list[dict]:
        with self._errors():
            return [dict(r) for r in self.db.execute("SELECT * FROM exams ORDER BY started, id")]

    # ------------------------------------------------------------------ review cards
    def update_card(self, item: str, topic: str, change: Callable[[str | None], tuple[str, datetime, bool]],
                    now: datetime) -> None:
        """Read-modify-write one card under the write lock: `change(old_json)` returns
        (new card JSON, due, lapsed)."""

        def work(db: sqlite3.Connection) -> None:
            row = db.execute("SELECT card FROM cards WHERE item = ?", (item,)).fetchone()
            card, due, lapsed = change(row[0] if row else None)
            db.execute(
                """INSERT INTO cards (item, topic, card, due, reviews, lapses, updated) VALUES (?, ?, ?, ?, 1, ?, ?)
                   ON CONFLICT(item) DO UPDATE SET card = excluded.card, due = excluded.due, topic = excluded.topic,
                   reviews = reviews + 1, lapses = lapses + excluded.lapses, updated = excluded.updated""",
                (item, topic, card, iso(due), int(lapsed), iso(now)))

        self._transaction(work)

    def cards(self) -> list[CardRow]:
        with self._errors():
            rows = self.db.execute("SELECT item, topic, card, due, reviews, lapses FROM cards ORDER BY due, item").fetchall()
        return [CardRow(r[0], r[1], r[2], from_iso(r[3]), r[4], r[5]) for r in rows]


def open_store(path: Path | None = None) -> Store:
    return Store(path or default_path())


def open_with_offer(path: Path | None = None, confirm: Callable[[str], bool] | None = None,
                    report: Callable[[str], None] = print) -> Store:
    """Open the store; when the file is corrupt and `confirm` is given (a terminal), offer
    to move it aside and start a fresh one.  Without `confirm` the error stands."""
    path = path or default_path()
    try:
        return Store(path)
    except CorruptDatabase as exc:
        if confirm is None or not confirm(f"{exc.args[0].split(';')[0]}. Move it aside and start a fresh one?"):
            raise
    target = move_aside(path)
    report(f"moved the unreadable database to {target}")
    return Store(path)
