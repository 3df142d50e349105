"""Renderers of problems and sheets: terminal (rich), Typst/PDF, Markdown."""
