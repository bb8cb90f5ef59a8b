"""The command line of the ``python -m feeds.*_measure`` scripts: one option, the real data folder.

Built before numpy and pandas load, so that ``--help`` and a usage error answer at once.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from vixhedge import argtypes
from vixhedge.guard import Parser

__all__ = ["data_dir_parser"]


def data_dir_parser(prog: str, description: str | None) -> Parser:
    """Return the parser of a measure script: ``--data-dir DIR``, default ``../shared/data`` beside the repo."""
    p = Parser(prog=prog, description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=argtypes.path, metavar="DIR",
                   default=Path(__file__).resolve().parents[2] / "shared" / "data",
                   help="real data folder (default ../shared/data beside the repo)")
    return p
