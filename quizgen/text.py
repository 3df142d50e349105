"""Bilingual text: every string a student reads, in English and Simplified Chinese.

    Text(en, zh).get(lang)      LaTeX-subset math in $...$; t(en) when both are the same
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Text:
    """One piece of text in English and Simplified Chinese (LaTeX-subset math in $...$)."""

    en: str
    zh: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def to_dict(self) -> dict:
        return {"en": self.en, "zh": self.zh}

    @classmethod
    def from_dict(cls, d: Any) -> Text:
        return cls(en=_str(d["en"]), zh=_str(d["zh"]))


def t(en: str, zh: str | None = None) -> Text:
    """Shorthand for a bilingual text; math-only texts may omit the Chinese."""
    return Text(en, en if zh is None else zh)


def _str(x: Any) -> str:
    if not isinstance(x, str):
        raise TypeError(f"expected a string, got {type(x).__name__}")
    return x
