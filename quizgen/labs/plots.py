"""Saving lab figures: matplotlib with the non-interactive Agg backend, written atomically.

    figure(n)        -> (fig, axes) with n side-by-side panels
    save(fig, path)  -> PNG bytes rendered in memory, then files.write_atomic(path)
"""

from __future__ import annotations

import io
from pathlib import Path


def figure(panels: int = 1, width: float = 6.0, height: float = 4.2):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from matplotlib.ticker import MaxNLocator

    fig, axes = plt.subplots(1, panels, figsize=(width * panels, height), squeeze=False)
    for ax in axes[0]:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs, layers, lengths
    return fig, list(axes[0])


def save(fig, path: str | Path, force: bool = True) -> Path:
    import matplotlib.pyplot as plt

    from quizgen.files import write_atomic

    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return write_atomic(path, buffer.getvalue(), force)


def percent(ax) -> None:
    """Label the y axis of an accuracy panel in percent."""
    from matplotlib.ticker import PercentFormatter

    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
