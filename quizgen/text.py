"""Bilingual text: every string a student reads, in English and Simplified Chinese.

    Text(en, zh).get(lang)      LaTeX-subset math in $...$; t(en) when both are the same
    get("zh-Hant")              = hant.to_hant(zh): Traditional, derived at output time (cached)
    by_lang({"en": .., "zh": ..})  a word table whose "zh-Hant" entry is derived from "zh"
                                through hant.to_hant on first use (never hand-copied)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quizgen.langs import HANT

_set = object.__setattr__


@dataclass(frozen=True, init=False)
class Text:
    """One piece of text in English and Simplified Chinese (LaTeX-subset math in $...$)."""

    en: str
    zh: str

    def __init__(self, en: str, zh: str) -> None:  # written out: one dict set, not two setattrs
        _set(self, "__dict__", {"en": en, "zh": zh})

    def get(self, lang: str) -> str:
        if lang == HANT:
            from quizgen.hant_text import to_hant

            return to_hant(self.zh)
        return self.zh if lang == "zh" else self.en

    def to_dict(self) -> dict:
        return {"en": self.en, "zh": self.zh}

    @classmethod
    def from_dict(cls, d: Any) -> Text:
        return cls(en=_str(d["en"]), zh=_str(d["zh"]))


class by_lang(dict):
    """A word table {"en": ..., "zh": ...}; table["zh-Hant"] is the "zh" entry converted
    (strings inside dicts, tuples and lists), made once and kept."""

    def __missing__(self, lang: str):
        if lang != "zh-Hant":
            raise KeyError(lang)
        from quizgen.hant_text import to_hant

        def convert(x):
            if isinstance(x, str):
                return to_hant(x)
            if isinstance(x, dict):
                return {k: convert(v) for k, v in x.items()}
            if isinstance(x, (tuple, list)):
                return type(x)(convert(v) for v in x)
            return x

        self[lang] = convert(self["zh"])
        return self[lang]


def t(en: str, zh: str | None = None) -> Text:
    """Shorthand for a bilingual text; math-only texts may omit the Chinese."""
    return Text(en, en if zh is None else zh)


def _str(x: Any) -> str:
    if not isinstance(x, str):
        raise TypeError(f"expected a string, got {type(x).__name__}")
    return x
