"""Time every lab: prints the lab, its epochs, the device and the seconds (training and whole run).

    python bench/labs.py                  # --quick runs, device auto (CUDA when available)
    python bench/labs.py --full --device cuda
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="full runs instead of --quick")
    parser.add_argument("--device", default=None, help="auto (default), cpu, cuda")
    parser.add_argument("--only", nargs="*", help="lab names (default: all)")
    args = parser.parse_args()

    from rich.console import Console

    from quizgen.lab import run_lab
    from quizgen.labs import load_labs

    import torch

    silent = Console(file=open("/dev/null", "w"))
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"cuda {'yes: ' + torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'no'}")
    print(f"{'lab':22s} {'mode':6s} {'epochs':>6s} {'device':8s} {'train s':>8s} {'total s':>8s}")
    for name, lab in load_labs().items():
        if args.only and name not in args.only:
            continue
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            run = run_lab(name, device=args.device, quick=not args.full, out=Path(folder), predict=False,
                          quiet=True, console=silent)
            total = time.perf_counter() - start
        outcome = run["outcome"]
        epochs = lab.epochs if args.full else lab.quick_epochs
        print(f"{name:22s} {'full' if args.full else 'quick':6s} {epochs:6d} {outcome.device:8s} "
              f"{outcome.wall_time:8.1f} {total:8.1f}", flush=True)


if __name__ == "__main__":
    main()
