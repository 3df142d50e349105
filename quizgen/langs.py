"""Language codes: statements are written in English and Simplified Chinese; Traditional
Chinese (HANT) is derived from the Simplified text when shown (quizgen/hant_text.py).  At the
bottom of the import graph, so that any module may name a language without importing more."""

HANT = "zh-Hant"
