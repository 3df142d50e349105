"""Problem families: one module per family, each registered with `@quizgen.registry.register`.

Modules whose name starts with an underscore hold shared arithmetic, not families.
"""
