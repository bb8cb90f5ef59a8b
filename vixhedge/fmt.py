"""Money, percents and numbers as the project prints them: one rounding rule, one way to write a sign.

Every console line, report.html cell and Markdown table that shows money or a percent formats it here, so a
figure reads the same wherever it appears (an audit found the sweep summary printing a hedge cost of
$20,184.50 as "$20,184" where its report.html printed "$20,185", and "-$0" in tables).

The rounding rule: **half away from zero, on the value's decimal text** (``repr(float(v))``, the shortest text
that reads back as the same float), scaled by a power of ten exactly (a percent is that text with its point
moved, not ``100 * v`` in binary). So 20184.5 is "$20,185" and -20184.5 is "-$20,185" (Python's format
rounds an exact half to even: ``f"{20184.5:.0f}"`` is "20184"), 0.0125 is "1.3%" at 1 decimal and 2.675 is
"2.68" (its binary value is 2.67499999...). A figure that rounds to zero prints without a sign ("$0",
"0.00%"), never "-$0". Missing figures (None, NaN, +-inf) print "n/a".

Formats: :func:`usd` (whole dollars, thousands separated), :func:`usd_cents` (cents under $100), :func:`usd_k`
(thousands of dollars, "$126k", "-$2.5k"), :func:`pct` (a fraction as a percent), :func:`num` (a plain number);
each with ``signed=True`` for a "+" on positive figures. Pure: no backtrader, no pandas.
"""

from __future__ import annotations

import math
import numbers
from decimal import ROUND_HALF_UP, Context, Decimal

__all__ = ["MISSING", "missing", "num", "pct", "rounded", "source_words", "usd", "usd_cents", "usd_k"]

MISSING = "n/a"
# enough digits for any float (1.8e308 has 309) at any decimals asked; ROUND_HALF_UP is half away from zero
_CONTEXT = Context(prec=1000, rounding=ROUND_HALF_UP)


def missing(v) -> bool:
    """Return whether ``v`` has no figure to print: None, or a number that is not finite (NaN, +-inf)."""
    return v is None or (isinstance(v, numbers.Real) and not math.isfinite(v))


def rounded(v: float, digits: int = 0, shift: int = 0) -> Decimal:
    """Return ``v x 10**shift`` rounded to ``digits`` decimals, half away from zero on ``v``'s decimal text
    (module docstring); a zero is unsigned (never -0)."""
    if isinstance(v, numbers.Integral):
        exact = Decimal(int(v))
    else:
        exact = Decimal(repr(float(v)))
    q = exact.scaleb(shift, _CONTEXT).quantize(Decimal(1).scaleb(-digits), context=_CONTEXT)
    return q.copy_abs() if q.is_zero() else q


def _signed(q: Decimal, body: str, signed: bool) -> str:
    return ("-" if q < 0 else "+" if signed and q > 0 else "") + body


def usd(v, signed: bool = False) -> str:
    """Whole dollars with thousands separators, the sign first: "$20,185", "-$1,234,568", "$0"; "+$5" signed."""
    if missing(v):
        return MISSING
    q = rounded(v)
    return _signed(q, f"${abs(q):,f}", signed)


def usd_cents(v, signed: bool = False, below: float = 100.0) -> str:
    """Dollars and cents where the figure rounds under ``below`` dollars ("-$1.55", "$44.17"), whole dollars from
    there (:func:`usd`): a cost per contract-session of -$1.55 printed "-$2" (trial VIS27)."""
    if missing(v):
        return MISSING
    q = rounded(v, 2)
    return _signed(q, f"${abs(q):,.2f}", signed) if abs(q) < below else usd(v, signed)


def usd_k(v, digits: int = 1, signed: bool = False, trim: bool = False) -> str:
    """Thousands of dollars with ``digits`` decimals: "$20.2k", "-$126k" (``digits=0``), "$0.0k"; ``trim``
    drops a fraction of zeros ("$100k", not "$100.0k", and "$0" for a zero: an axis tick)."""
    if missing(v):
        return MISSING
    q = rounded(v, digits, shift=-3)
    if trim and q.is_zero():
        return "$0"
    body = f"{abs(q):,.{digits}f}"
    if trim and digits and q == q.to_integral_value():
        body = body.split(".")[0]
    return _signed(q, f"${body}k", signed)


def pct(v, digits: int = 2, signed: bool = False) -> str:
    """The fraction ``v`` as a percent with ``digits`` decimals: 0.2164 -> "21.64%", -0.00001 -> "0.00%"."""
    if missing(v):
        return MISSING
    q = rounded(v, digits, shift=2)
    return _signed(q, f"{abs(q):.{digits}f}%", signed)


def plural(n, noun: str) -> str:
    """``n`` and ``noun``, an s added unless ``n`` is 1: "1 condor", "2 hedge layers", "1,799 condors"; n/a for a
    missing count (trial RP: "1 hedge layers", "1 days an order was cut")."""
    return MISSING if missing(n) else f"{int(n):,} {noun}{'s' * (int(n) != 1)}"


def num(v, digits: int = 2, signed: bool = False, sep: bool = True) -> str:
    """A plain number with ``digits`` decimals (thousands separated unless ``sep`` is False): Sharpe ratios,
    leverage, counts (``digits=0``)."""
    if missing(v):
        return MISSING
    q = rounded(v, digits)
    return _signed(q, f"{abs(q):{',' if sep else ''}.{digits}f}", signed)


def source_words(source: str) -> str:
    """A data source's label (manifest.json ``data_source``: "directory:/work/shared/data") as a page prints it, a
    space after its kind: "directory: /work/shared/data", "embedded: arch.data(sp500,vix)" (trial VIS27: "data
    directory:/work/shared/data" in the run page's subtitle and every figure's)."""
    kind, sep, rest = str(source).partition(":")
    return f"{kind}: {rest.lstrip()}" if sep and rest else str(source)
