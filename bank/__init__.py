"""Curated concept questions (data files), shipped inside the wheel as quizgen.bank."""
