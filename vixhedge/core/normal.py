"""The standard normal CDF, vectorised in numpy: the Cephes ``ndtr`` (the algorithm of ``scipy.special.ndtr``).

``scipy.special`` costs 0.16-0.3 s to import (its array-API layer pulls ``numpy.f2py`` and ``numpy.testing``)
and pricing needs only this one function (issue 16). The algorithm and its coefficients are those of the Cephes
Math Library, Release 2.2 (June 1992), file ``ndtr.c`` (``ndtr``, ``erf``, ``erfc``), copyright 1984-1992 Stephen
L. Moshier, as distributed in scipy (``scipy/special/cephes/ndtr.c``, BSD-licensed; later ``xsf/cephes/ndtr.h``):

* ``ndtr(a)``: ``x = a / sqrt(2)``; ``0.5 + 0.5 erf(x)`` if ``|x| < 1/sqrt(2)``, else ``0.5 erfc(|x|)``
  (``1 -`` that for ``x > 0``);
* ``erf(x) = x T(x^2) / U(x^2)`` for ``|x| <= 1``;
* ``erfc(x) = exp(-x^2) P(x) / Q(x)`` for ``1 <= x < 8`` and ``exp(-x^2) R(x) / S(x)`` for ``x >= 8``; 0 once
  ``x^2 > MAXLOG`` (exp underflows).

Each polynomial is evaluated by Horner's rule in the order Cephes' ``polevl`` / ``p1evl`` use (``p1evl``: leading
coefficient 1) and ``exp`` is the C library's (``math.exp``), so every step rounds as scipy's compiled code
does: the results equal ``scipy.special.ndtr`` bit for bit on a dense grid over [-40, 40] and its tails
(tests/vixhedge/test_normal.py).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["ndtr", "ndtr_pair"]

_SQRT1_2 = 0.70710678118654752440  # M_SQRT1_2
_MAXLOG = 7.09782712893383996843e2  # Cephes MAXLOG = log(DBL_MAX)

# erfc(x), 1 <= x < 8: exp(-x^2) P(x) / Q(x) (Q monic, its leading 1 omitted as in Cephes)
_P = (2.46196981473530512524e-10, 5.64189564831068821977e-1, 7.46321056442269912687e0, 4.86371970985681366614e1,
      1.96520832956077098242e2, 5.26445194995477358631e2, 9.34528527171957607540e2, 1.02755188689515710272e3,
      5.57535335369399327526e2)
_Q = (1.32281951154744992508e1, 8.67072140885989742329e1, 3.54937778887819891062e2, 9.75708501743205489753e2,
      1.82390916687909736289e3, 2.24633760818710981792e3, 1.65666309194161350182e3, 5.57535340817727675546e2)
# erfc(x), x >= 8: exp(-x^2) R(x) / S(x) (S monic)
_R = (5.64189583547755073984e-1, 1.27536670759978104416e0, 5.01905042251180477414e0, 6.16021097993053585195e0,
      7.40974269950448939160e0, 2.97886665372100240670e0)
_S = (2.26052863220117276590e0, 9.39603524938001434673e0, 1.20489539808096656605e1, 1.70814450747565897222e1,
      9.60896809063285878198e0, 3.36907645100081516050e0)
# erf(x), |x| <= 1: x T(x^2) / U(x^2) (U monic)
_T = (9.60497373987051638749e0, 9.00260197203842689217e1, 2.23200534594684319226e3, 7.00332514112805075473e3,
      5.55923013010394962768e4)
_U = (3.35617141647503099647e1, 5.21357949780152679795e2, 4.59432382970980127987e3, 2.26290000613890934246e4,
      4.92673942608635921086e4)


def _fraction(num: tuple[float, ...], den: tuple[float, ...]) -> np.ndarray:
    """Return the coefficients of ``polevl(num) / p1evl(den)`` as a (2, m, 1) array: rows numerator and
    denominator, both m long (the shorter one led by 0, the monic one by its 1), for :func:`_horner`."""
    den = (1.0, *den)
    m = max(len(num), len(den))
    return np.array([(0.0,) * (m - len(num)) + num, (0.0,) * (m - len(den)) + den])[:, :, None]


_TU, _PQ, _RS = _fraction(_T, _U), _fraction(_P, _Q), _fraction(_R, _S)


def _horner(x: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """Numerator and denominator (rows) at ``x`` by Horner's rule, both in one array.

    Step for step the arithmetic of Cephes' ``polevl`` and ``p1evl``: a leading 0 gives ``0 x + c = c`` and a
    leading 1 gives ``1 x + c = x + c``, exactly, so the padding changes no bit.
    """
    acc = np.empty((2, x.size))
    acc[:] = coef[:, 0]
    for c in coef.transpose(1, 0, 2)[1:]:
        acc *= x
        acc += c
    return acc


def _exp(x: np.ndarray) -> np.ndarray:
    """The C library's ``exp``, elementwise: the one scipy's compiled ``erfc`` calls. ``numpy.exp`` (its own SIMD
    code) differs from it in the last bit for ~4% of arguments (here), which moved the default run's metrics."""
    return np.fromiter(map(math.exp, x.tolist()), dtype=np.float64, count=x.size)


def _erf_small(x: np.ndarray) -> np.ndarray:
    """Cephes ``erf`` for ``|x| <= 1`` (odd: the sign of ``x`` carries through exactly)."""
    num, den = _horner(x * x, _TU)
    return x * num / den


def _erfc_tail(x: np.ndarray) -> np.ndarray:
    """Cephes ``erfc`` for ``x >= 1/sqrt(2)``: ``1 - erf`` below 1, ``exp(-x^2) P / Q`` below 8, ``R / S`` from 8
    on, 0 once ``x^2 > MAXLOG``."""
    out = np.empty_like(x)
    small = x < 1.0
    out[small] = 1.0 - _erf_small(x[small])
    big = ~small
    xb = x[big]
    with np.errstate(over="ignore"):  # x^2 = inf past 1e154: underflowed, as in Cephes
        square = xb * xb
    live = square <= _MAXLOG
    xl = xb[live]
    frac = _horner(xl, _PQ)
    far = xl >= 8.0
    if far.any():
        frac[:, far] = _horner(xl[far], _RS)
    val = np.zeros_like(xb)
    val[live] = (_exp(-square[live]) * frac[0]) / frac[1]
    out[big] = val
    return out


def ndtr(a: ArrayLike) -> np.ndarray:
    """Return the standard normal CDF of ``a`` elementwise (float64 array of its shape; NaN stays NaN).

    >>> float(ndtr(0.0))
    0.5
    """
    return ndtr_pair(a)[0]


def ndtr_pair(a: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(ndtr(a), ndtr(-a))``, each equal bit for bit to its own call, for the price of one.

    Cephes computes both from the same ``erf(|x|)`` or ``erfc(|x|)`` (``erf`` is odd, exactly); the put and the
    call of a strike need ``N(d)`` and ``N(-d)`` (vixhedge.core.pricing).
    """
    a = np.asarray(a, dtype=np.float64)
    x = a * _SQRT1_2
    z = np.abs(x)
    up, down = np.empty_like(x), np.empty_like(x)
    centre = z < _SQRT1_2
    half_erf = 0.5 * _erf_small(x[centre])  # 0.5 + 0.5 erf(-x) = 0.5 - 0.5 erf(x) in IEEE arithmetic
    up[centre], down[centre] = 0.5 + half_erf, 0.5 - half_erf
    nan = np.isnan(x)
    tail = ~centre & ~nan
    half_erfc = 0.5 * _erfc_tail(z[tail])
    positive = x[tail] > 0
    up[tail] = np.where(positive, 1.0 - half_erfc, half_erfc)
    down[tail] = np.where(positive, half_erfc, 1.0 - half_erfc)
    up[nan] = down[nan] = np.nan
    return up, down
