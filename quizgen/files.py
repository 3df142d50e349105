"""Reading and writing files safely.

Writes are atomic (a temporary file in the same folder, then `os.replace`), and an existing
file is never overwritten unless `force` is given.  Read errors become QuizgenErrors with one
line naming the file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from quizgen.errors import QuizgenError
from quizgen.model import Sheet

MAX_READ = 50 * 1024 * 1024


def write_atomic(path: str | Path, data: bytes | str, force: bool = False) -> Path:
    """Write `data` to `path` atomically; refuse to replace an existing file without force."""
    path = Path(path)
    if path.exists() and not force:
        raise QuizgenError(f"{path} already exists; use --force to overwrite it")
    if path.is_dir():
        raise QuizgenError(f"{path} is a directory")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise QuizgenError(f"folder {folder} does not exist")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except (OSError, UnboundLocalError):
            pass
        raise QuizgenError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def read_text(path: str | Path, what: str = "file", limit: int = MAX_READ) -> str:
    """The file's text; a file over `limit` bytes is refused before it is read."""
    path = Path(path)
    try:
        if path.stat().st_size > limit:
            raise QuizgenError(f"{what} {path} is too large")
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QuizgenError(f"{what} {path} not found") from None
    except IsADirectoryError:
        raise QuizgenError(f"{what} {path} is a directory") from None
    except UnicodeDecodeError:
        raise QuizgenError(f"{what} {path} is not UTF-8 text") from None
    except OSError as exc:
        raise QuizgenError(f"cannot read {what} {path}: {exc.strerror or exc}") from None


def read_sheet(path: str | Path) -> Sheet:
    try:
        return Sheet.from_json(read_text(path, "sheet"))
    except QuizgenError as exc:
        msg = str(exc)
        raise QuizgenError(msg if str(path) in msg else f"{path}: {msg}") from None
