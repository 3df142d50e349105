"""The edge of the command line: usage errors as one line, and option values converted plainly.

    quizgen generate --count abc   ->   quizgen: error: invalid value for '--count' / '-n':
                                        'abc' is not a whole number          (exit 2)

`run(command, argv)` runs the click command behind the typer app in non-standalone mode, so
every usage error of every command and sub-app (bad value, unknown option or command, missing
argument) reaches one handler, which prints it on one line instead of click's usage box.

`install_plain_conversion()`: typer >= 0.2x converts every option value (even an absent
`--help`) through a pydantic TypeAdapter, and importing pydantic costs about as much as
importing typer itself.  The options of quizgen are all bool, str, int, float, Path, an Enum
or a list of those; each of them gets a converter written here (the same checks, our own
messages), and anything else is left to typer.  A typer without that layer (older versions
use click's own types) is left as it is.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Callable, get_args, get_origin

try:  # typer >= 0.2x vendors click
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - older typer on real click
    from click import exceptions as click_errors

from typer import Abort

try:
    from typer._coercion import RuntimeParam
except ImportError:  # pragma: no cover - older typer: click's types, no pydantic
    RuntimeParam = None

_INT = re.compile(r"[+-]?\d{1,30}")


def _to_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if not _INT.fullmatch(text):
        raise ValueError(f"{value!r} is not a whole number")
    return int(text)


def _to_choice(enum: type[Enum]) -> Callable[[Any], Enum]:
    names = [m.value for m in enum]

    def convert(value: Any) -> Enum:
        if isinstance(value, enum):
            return value
        text = str(value)
        for member in enum:
            if member.value == text:
                return member
        close = difflib.get_close_matches(text.lower(), names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"{text!r} is not one of {', '.join(names)}{hint}")

    return convert


def converter(annotation: Any) -> Callable[[Any], Any] | None:
    """A plain converter for one option's annotation, or None when typer should keep it."""
    if annotation is str:
        return str
    if annotation is int:
        return _to_int
    if annotation is float:
        return _to_float
    if isinstance(annotation, type) and issubclass(annotation, Path):
        return lambda v: v if isinstance(v, Path) else Path(v)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _to_choice(annotation)
    return None


def _to_float(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{value!r} is not a finite number")
    return number


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{value!r} is not true or false")


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class _PlainParam(RuntimeParam):
        """typer's RuntimeParam contract with a plain converter instead of a TypeAdapter."""

        convert: Callable[[Any], Any]
        many: bool

        def _coerce_value(self, value, param, ctx):
            try:
                if self.many:
                    items = value if isinstance(value, (list, tuple)) else [value]
                    return [self.convert(v) for v in items]
                return self.convert(value)
            except ValueError as exc:
                raise click_errors.BadParameter(str(exc), ctx=ctx, param=param) from None


def plain_param(desc):
    """A plain RuntimeParam for typer's type descriptor, or None to leave it to typer."""
    if desc.parameter_info.parser is not None or desc.file_annotation is not None:
        return None
    annotation, many = desc.annotation, False
    if get_origin(annotation) is list and len(get_args(annotation)) == 1:
        annotation, many = get_args(annotation)[0], True
    convert = _to_bool if annotation is bool else converter(annotation)
    if convert is None:
        return None
    return _PlainParam(desc.parameter_info, desc.annotation, convert, many)


def install_plain_conversion() -> None:
    """Make typer's parameters try `plain_param` before building a pydantic TypeAdapter."""
    import typer.core

    cls = getattr(typer.core, "_TyperParameter", None)
    if RuntimeParam is None or cls is None or not hasattr(cls, "get_runtime_param") \
            or getattr(cls, "_quizgen_plain", False):
        return
    typers_own = cls.get_runtime_param

    def get_runtime_param(self):
        if getattr(self, "_runtime_param", None) is None:
            self._runtime_param = plain_param(self.type_descriptor)
        return typers_own(self)

    cls.get_runtime_param = get_runtime_param
    cls._quizgen_plain = True


def usage_message(exc) -> str:
    """One line for a click usage error; an unknown command also lists the commands."""
    message = " ".join(exc.format_message().split()).rstrip(".")
    ctx = getattr(exc, "ctx", None)
    if message.startswith("No such command") and "Did you mean" not in message \
            and ctx is not None and hasattr(ctx.command, "list_commands"):
        message += "; commands: " + ", ".join(ctx.command.list_commands(ctx))
        if ctx.parent is None and "'review'" in message:
            message += " (spaced review is `quizgen quiz --review`)"
    return message[:1].lower() + message[1:]


def run(command, argv: list[str] | None, prog_name: str = "quizgen") -> int:
    """Run the click command; return its exit code.  Usage errors raise UsageLine."""
    no_args_help = getattr(click_errors, "NoArgsIsHelpError", ())
    try:
        code = command.main(args=argv, prog_name=prog_name, standalone_mode=False)
    except no_args_help as exc:
        exc.show()
        return exc.exit_code
    except click_errors.UsageError as exc:
        raise UsageLine(usage_message(exc)) from None
    except click_errors.ClickException as exc:
        raise UsageLine(" ".join(exc.format_message().split()), exc.exit_code) from None
    except Abort:
        raise UsageLine("aborted", 1) from None
    return code if isinstance(code, int) else 0


class UsageLine(Exception):
    """A usage error, already one line: the caller prints `quizgen: error: <line>`."""

    def __init__(self, line: str, exit_code: int = 2):
        super().__init__(line)
        self.exit_code = exit_code
