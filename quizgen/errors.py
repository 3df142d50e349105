"""User-facing errors: the CLI prints their message on one line and exits with their code."""


class QuizgenError(Exception):
    """Bad input of any kind (unknown name, bad file, out-of-range value): exit code 2."""

    exit_code = 2


class FormatError(QuizgenError):
    """An answer that cannot be read as the expected kind; never counted as wrong."""
