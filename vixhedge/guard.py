"""Every command ends an error as ONE line on stderr, never a traceback (the CLI and the ``python -m`` reports).

:func:`guarded` runs a command and turns what it raises into a line naming the program: a config or data error
(the message names the field or file, the value and the fix; exit 2), an unreadable or unwritable path (2), an
interrupt (130), anything else as an internal error (3; ``VIXHEDGE_DEBUG=1`` re-raises it for the traceback).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


def one_line(exc: BaseException) -> str:
    """Return ``exc``'s message on one line (whitespace runs collapsed)."""
    return " ".join(str(exc).split())


def guarded(prog: str, command: Callable[[], int | None]) -> int:
    """Run ``command`` and return its exit code; an error becomes one line ``prog: message`` on stderr."""
    from feeds.marketdata import DataError
    from vixhedge.core.config import ConfigError

    try:
        return command() or 0
    except (ConfigError, DataError) as exc:
        print(f"{prog}: {one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print(f"{prog}: cannot read or write{where}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the promise: one line, never a traceback
        if os.environ.get("VIXHEDGE_DEBUG"):
            raise
        print(f"{prog}: internal error: {type(exc).__name__}: {one_line(exc)} (set VIXHEDGE_DEBUG=1 for the "
              "traceback and report it)", file=sys.stderr)
        return 3
