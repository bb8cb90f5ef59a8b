"""Process memory settings for sweep workers (issue 16).

A kernel batch allocates [days, points] arrays of a few MB each, many times per batch. glibc serves blocks that
large with ``mmap`` and gives them back to the system on ``free``, so every allocation touches fresh pages (a page
fault per 4 KB): measured on a warm 432-point batch of the 5-year grid, 0.23-0.28 s with the defaults (dask's
workers set ``MALLOC_TRIM_THRESHOLD_=65536``: the slower end) against 0.11-0.17 s with large blocks kept in the
heap. Results do not depend on it; the peak memory does not grow with it (freed blocks are reused).
"""

from __future__ import annotations

import ctypes
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters (malloc.h)
MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's ceiling on 64-bit: blocks up to 32 MB come from the heap
TRIM_THRESHOLD = 512 * 1024 * 1024  # free heap kept before it is returned to the system


def keep_freed_memory() -> bool:
    """Make glibc keep freed large blocks for reuse in this process (and the processes it forks from now on).

    Return True where it applied (Linux with glibc), False elsewhere (nothing changes).
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # another C library (e.g. musl): its defaults stay
        return False
    return bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(libc.mallopt(M_TRIM_THRESHOLD,
                                                                                       TRIM_THRESHOLD))
