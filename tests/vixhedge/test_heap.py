"""vixhedge.heap: glibc keeps freed large blocks for reuse in sweep processes (results never depend on it)."""

import platform
import sys

from vixhedge.heap import keep_freed_memory


def test_keep_freed_memory_applies_on_glibc_and_is_harmless_elsewhere():
    applied = keep_freed_memory()
    glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert applied is glibc
    assert keep_freed_memory() is applied  # idempotent: a dask worker calls it once per Market it loads
