"""Run the command line with stderr on a pseudo-terminal, as a user's shell would (progress bars draw only there)."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios


def stderr_on_a_terminal(args: list[str], rows: int = 24, columns: int = 100) -> tuple[int, str]:
    """Run ``python -m vixhedge ARGS`` with stderr on a pseudo-terminal of ``rows`` x ``columns`` (0 x 0: one that
    reports no size); return (exit code, what it drew)."""
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "vixhedge", *args], stdout=subprocess.DEVNULL, stderr=secondary,
                            stdin=subprocess.DEVNULL)
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(primary, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    code = proc.wait(timeout=120)
    os.close(primary)
    return code, b"".join(chunks).decode(errors="replace")
