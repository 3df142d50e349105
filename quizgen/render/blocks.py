"""Statement markup shared by every renderer.

A statement is plain text with `$LaTeX$` math spans; a fenced block (``` ... ```) is code,
shown verbatim.  `blocks(text)` splits a statement into ("text", s) and ("code", s) pieces,
and `math_spans(s)` splits a text piece into ("text", s) and ("math", latex) pieces;
`shared_choices(parts)` tells when options are listed once for all parts.
"""

from __future__ import annotations

import re


def blocks(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for i, piece in enumerate(re.split(r"^```[a-z]*\n?|^```$", text, flags=re.MULTILINE)):
        piece = piece.strip("\n")
        if piece:
            out.append(("code" if i % 2 else "text", piece))
    return out


def math_spans(text: str) -> list[tuple[str, str]]:
    out = []
    for i, piece in enumerate(re.split(r"\$", text)):
        if piece:
            out.append(("math" if i % 2 else "text", piece))
    return out


def shared_choices(parts) -> tuple:
    """The options every part offers, when two or more parts offer the same ones (matching
    items): renderers list them once instead of under every part."""
    if len(parts) < 2 or not parts[0].choices:
        return ()
    return parts[0].choices if all(p.choices == parts[0].choices for p in parts) else ()


def inline_spans(text: str) -> list[tuple[str, str]]:
    """A text piece as ("text", s), ("math", latex) and ("code", s) pieces: `$...$` is math,
    `...` in backticks is inline code (shown as code, never as literal backticks)."""
    out: list[tuple[str, str]] = []
    for kind, piece in math_spans(text):
        if kind == "math":
            out.append((kind, piece))
            continue
        for i, bit in enumerate(re.split(r"`", piece) if piece.count("`") % 2 == 0 else [piece]):
            if bit:
                out.append(("code" if i % 2 else "text", bit))
    return out
