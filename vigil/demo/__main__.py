"""``python -m vigil.demo COUNT [--seed N] [--start YYYY-MM-DD] [--days N] > cases.jsonl``"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date

from vigil.demo.generate import generate, write_jsonl


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m vigil.demo",
        description="Write synthetic death reports as Vigil JSON Lines to standard output.",
    )
    parser.add_argument("count", type=int, help="how many cases")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same output (default 0)")
    parser.add_argument("--start", type=date.fromisoformat, default=date(2014, 1, 1))
    parser.add_argument("--days", type=int, default=730, help="length of the window in days")
    args = parser.parse_args(argv)
    write_jsonl(generate(args.count, args.seed, args.start, args.days), sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
