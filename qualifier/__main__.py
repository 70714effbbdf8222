"""Run the qualifier command line: python -m qualifier."""

from __future__ import annotations

from qualifier.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
