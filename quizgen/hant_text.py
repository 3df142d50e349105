"""Simplified -> Traditional Chinese (Taiwan usage), the conversion alone: `to_hant(text)`.

    to_hant(text) = GLOSSARY terms as Taiwanese textbooks write them, and everything between
                    them through OpenCC's s2twp (Simplified -> Taiwan, with phrases); cached

Low in the import graph (only quizgen.errors and quizgen.langs), so `Text.get("zh-Hant")` and the word tables
(`text.by_lang`) can use it; sheets, PDFs and exports in Traditional are in quizgen/hant.py,
whose docstring explains the glossary.
"""

from __future__ import annotations

import re
from functools import lru_cache

from quizgen.errors import QuizgenError
from quizgen.langs import HANT  # noqa: F401  (re-exported)

GLOSSARY = {
    "卷积": "卷積",
    "池化": "池化",
    "感知机": "感知機",
    "反向传播": "反向傳播",
    "参数": "參數",
    "函数": "函數",
    "激活": "激活",
    "循环": "循環",
    "连接": "連接",
    "优化": "優化",
    "神经网络": "神經網路",
}
# Glossary terms in either script: Traditional ones are kept as they are, because s2twp's
# phrase step would turn a 參數 already in the text into 引數.
_KEEP = {**GLOSSARY, **{v: v for v in GLOSSARY.values()}}
_TERMS = re.compile("(" + "|".join(sorted(map(re.escape, _KEEP), key=len, reverse=True)) + ")")
_HAN = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=1)
def converter():
    """OpenCC's s2twp converter (one per process); a clear error when OpenCC is missing."""
    try:
        import opencc
    except ImportError:
        raise QuizgenError("Traditional Chinese needs OpenCC: pip install opencc") from None
    return opencc.OpenCC("s2twp")


@lru_cache(maxsize=8192)
def to_hant(text: str) -> str:
    """Simplified Chinese text in Traditional characters, Taiwan usage, with the glossary."""
    if not _HAN.search(text):
        return text
    convert = converter().convert
    return "".join(_KEEP[piece] if i % 2 else (convert(piece) if piece else "")
                   for i, piece in enumerate(_TERMS.split(text)))
