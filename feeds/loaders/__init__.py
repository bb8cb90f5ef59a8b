"""Loaders of real market data files (Cboe / CFE layouts and generic CSV), strict and reported.

Every loader reads one file completely, validates it and returns an immutable object, or raises
:class:`LoadError` naming the file, the line and the problem (nothing partial is kept). Rows that
parse but must not be used are returned in ``bad_rows`` with the reason.
"""

from feeds.loaders._table import BadRow, LoadError

__all__ = ["BadRow", "LoadError"]
