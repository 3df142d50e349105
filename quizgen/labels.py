"""Parsing of the label-like answer kinds: boolean, sign, label and set.

    boolean   yes/no, y/n, true/false, t/f, 1/0, 是/否, 对/错, 正确/错误   -> True | False
    sign      +1, 1, +, −1, -1, -, 0                                   -> 1 | -1 | 0
    label     one of the part's labels (spec["labels"]), case-insensitive, or an alias
              from spec["aliases"] (e.g. 与 -> AND)                     -> the canonical label
    set       items separated by commas or spaces, braces optional; none, {}, ∅, 无, 空
              for the empty set                                         -> sorted distinct items

Input is normalised as every answer is (full-width forms, length limit) and never evaluated.
"""

from __future__ import annotations

import re

from quizgen.errors import FormatError
from quizgen.parse import normalize

MAX_ITEMS = 64
_TRUE = {"yes", "y", "true", "t", "1", "是", "对", "正确", "changed", "updated"}
_FALSE = {"no", "n", "false", "f", "0", "否", "错", "错误", "不", "unchanged"}
_EMPTY = {"none", "{}", "∅", "无", "空", "empty", "[]", "-"}


def parse_boolean(text: str) -> bool:
    s = normalize(text).lower().strip(" .。")
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise FormatError("expected yes or no (是/否)")


def parse_sign(text: str) -> int:
    s = normalize(text).replace(" ", "")
    table = {"+1": 1, "1": 1, "+": 1, "1.0": 1, "-1": -1, "-": -1, "-1.0": -1, "0": 0, "+0": 0, "-0": 0}
    if s in table:
        return table[s]
    raise FormatError("expected +1, -1 or 0")


def parse_label(text: str, labels: list[str], aliases: dict[str, str] | None = None) -> str:
    s = normalize(text).strip(" .。").lower()
    for label in labels:
        if s == label.lower():
            return label
    for alias, label in (aliases or {}).items():
        if s == alias.lower():
            return label
    raise FormatError("expected one of " + ", ".join(labels))


def parse_set(text: str) -> list[str]:
    s = normalize(text).strip()
    if s.lower() in _EMPTY:
        return []
    if len(s) >= 2 and s[0] + s[-1] in ("{}", "[]", "()"):
        s = s[1:-1].strip()
        if not s:
            return []
    items = [x for x in re.split(r"[,\s]+", s) if x]
    if not items or len(items) > MAX_ITEMS:
        raise FormatError("expected items separated by commas, like x1, x3 (or none)")
    if any(not re.fullmatch(r"[A-Za-z0-9_.+\-]{1,16}", x) for x in items):
        raise FormatError("expected items separated by commas, like x1, x3 (or none)")
    return sorted({canonical_item(x) for x in items}, key=_item_order)


def canonical_item(item) -> str:
    """Set items compare case-insensitively; `3` and `x3` name the same sample when the
    part's items are `x1, x2, ...` (see kinds.set_equal)."""
    return str(item).strip().lower()


def _item_order(item: str):
    m = re.fullmatch(r"([a-z_]*)(\d+)", item)
    return (m.group(1), int(m.group(2)), "") if m else (item, 0, item)
