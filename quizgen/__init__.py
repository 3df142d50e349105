"""quizgen: exam-style practice problems for a graduate neural-networks course.

Generate sheets, self-quiz, check hand-worked answers, solve a lecturer's exact problem,
and export sheets with answer keys to PDF.  See docs/ARCHITECTURE.md for the design.
"""

__version__ = "0.1.0"
