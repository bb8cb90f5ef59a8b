"""The note of a command that does not read ``$VIXHEDGE_DATA_DIR`` while it is set (trial DET32 L1).

``replay`` and ``compare --period`` take their data from ``$VIXHEDGE_DATA_DIR`` when no data directory is given;
``run``, a plain ``compare`` (and ``--windows``), ``sweep`` and ``placebo`` do not (README *Named replays*,
*On real data*): with the variable set, ``vixhedge run --start 2015-06-01 --end 2015-12-31`` ran the embedded market
(final NAV $981,028 instead of $1,007,431 on ../shared/data) and nothing said so but the data line's "VX futures
0% real". Such a command now says it in one stderr line (none with ``-q``, none when it runs on a data directory).
"""

from __future__ import annotations

import os
import shlex
import sys

from vixhedge.cli_data import DATA_DIR_ENV
from vixhedge.core import config as C


def note_unread(command: str, market: C.MarketConfig) -> None:
    """Print one note on stderr when ``$VIXHEDGE_DATA_DIR`` is set and ``command`` (which does not read it) runs on
    ``market`` that is not a data directory: the variable, what the command runs on instead and the flag to give."""
    from vixhedge import progress

    env = os.environ.get(DATA_DIR_ENV, "").strip()
    if not env or progress.QUIET or market.source is C.MarketSource.DIRECTORY:
        return
    print(f"vixhedge {command}: note: ${DATA_DIR_ENV} = {env} is set, but {command} does not read it (replay and "
          f"compare --period do): it runs on the {market.source.value} market; give --data-dir "
          f"{shlex.quote(env)} to run it on those files", file=sys.stderr)
