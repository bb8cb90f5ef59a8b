"""Trial FUZZ40 (2026-12-07, /work/notes/fuzz40_report.md), fixed by fix40c: bad input taken silently or refused
only after the work. Each is now one line naming the key or flag, the value and the fix, before any work:

* M7: a plug-in table's list element of any type was taken (``hedge.policy_params.xs = [None]``, ``[b"x"]``, a
  ``None`` nested in an inline table) and config.toml then held other values (``["None"]``, ``["b'x'"]``); a numpy
  scalar in a list was written ``np.float64(1.5)`` (no TOML) or ``"3"``; a key not a string an internal error at
  write (vixhedge/core/config/load.py, the plug-in table branch of ``_coerce``).
* M8: ``python -m vixhedge.ci_null --reps`` and ``--sims`` had no upper bound (``--reps 10000000000`` grew 2 MB/s).
* L2: ci_null's counts took ``+5``, ``1_0``, an Arabic-Indic digit (``int()``), and ``--noise garch,garch`` /
  ``--days 63,63`` ran a line twice.
* L3: ``ci_null --days 1218`` was refused only after both default backtests had run.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pytest

from vixhedge import ci_null
from vixhedge.compare_args import MAX_BOOT
from vixhedge.core import config as C

BASE = C.load_default()


@pytest.fixture()
def no_runs(monkeypatch) -> None:
    """ci_null's backtests fail the test: a refusal comes before any work (and old code's accepted value fails fast,
    not running for ever)."""
    monkeypatch.setattr(ci_null, "default_legs", lambda: pytest.fail("the backtests ran"))


@pytest.fixture()
def plugin(tmp_path, monkeypatch) -> str:
    """A policy without a ``params`` class: its table is checked by the config alone (as fuzz40's ``rolls2``)."""
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "fz40c_pol.py").write_text("from vixhedge.api import Decision\n\n\ndef policy(state, snap, cfg):\n"
                                           "    return Decision()\n")
    return "fz40c_pol:policy"


@pytest.mark.parametrize("params, where, echo", [
    ({"xs": [None]}, "xs[0]", "None"),  # fuzz40 case_pp.py: written xs = ["None"]
    ({"xs": [1, b"x"]}, "xs[1]", "b'x'"),  # written ["b'x'"]
    ({"xs": [[1, [2, {"b": None}]]]}, "xs[0][1][1].b", "None"),  # written {b = "None"}
    ({"xs": [dt.date(2020, 1, 1)]}, "xs[0]", "datetime.date(2020, 1, 1)"),  # a top-level date is refused too
])
def test_m7_a_list_element_config_toml_cannot_hold_is_refused_naming_it(plugin, params, where, echo) -> None:
    """trial FUZZ40 M7: each was taken and config.toml recorded another value than the run's; now one line naming
    hedge.policy_params.KEY[i] and the value, as a top-level None is."""
    line = f"hedge.policy_params.{where} = {echo} is invalid: expected a number, string, boolean or list (a "
    with pytest.raises(C.ConfigError, match="^" + re.escape(line + "[hedge.policy_params] value: config.toml holds")):
        C.replace(BASE, hedge={"policy": plugin, "policy_params": params})


def test_m7_numpy_scalars_in_a_list_are_written_as_the_values_they_hold(plugin, tmp_path) -> None:
    """trial FUZZ40 M7 (found mending it): a numpy scalar in a list was written as its repr, ``np.float64(1.5)``
    (config.toml then did not read back) or a string ``"3"``; a top-level one is the value it holds (plain())."""
    cfg = C.replace(BASE, hedge={"policy": plugin, "policy_params": {
        "xs": [np.float64(1.5), np.int64(3), np.bool_(True)], "ys": (1, [np.int64(2)])}})
    text = C.to_toml(cfg)
    assert "\nxs = [1.5, 3, true]\n" in text and "\nys = [1, [2]]\n" in text
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    assert C.load(path) == cfg


@pytest.mark.parametrize("params, name", [({1: 2}, "hedge.policy_params"),
                                          ({"xs": [{1: 2}]}, r"hedge.policy_params.xs\[0\]")])
def test_m7_a_key_not_a_string_is_refused_not_an_internal_error_at_write(plugin, params, name) -> None:
    """trial FUZZ40 M7 (found mending it): ``policy_params = {1: 2}`` was taken, then to_toml raised TypeError
    (``expected string or bytes-like object``): an internal error when the run was written."""
    with pytest.raises(C.ConfigError, match=rf"^{name} = .* is invalid: its key 1 is not a string"):
        C.replace(BASE, hedge={"policy": plugin, "policy_params": params})


@pytest.mark.parametrize("flag, value, words", [
    ("--reps", "100001", f"'100001' is invalid: use 100..{MAX_BOOT:,} bootstrap draws"),  # compare's --n-boot cap
    ("--reps", "10000000000", "'10000000000' is invalid: use 100..100,000 bootstrap draws"),  # fuzz40: grew 2 MB/s
    ("--sims", "1000000000000", "'1000000000000' is invalid: use 1..10,000 pairs"),  # ran for ever
    ("--sims", "0", "'0' is invalid: use 1..10,000 pairs"),  # ci_null.MAX_SIMS
])
def test_m8_ci_null_counts_have_a_range_said_in_one_line(capsys, no_runs, flag, value, words) -> None:
    """trial FUZZ40 M8: --reps and --sims had no upper bound; now a range, as compare's --n-boot 100..100,000."""
    with pytest.raises(SystemExit) as exc:
        ci_null.main([flag, value])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and err.count("\n") == 1 and f"argument {flag}: {words}" in err


def test_m8_the_help_says_the_bounds(capsys) -> None:
    """trial FUZZ40 M8: the bounds are in --help (10,000 pairs, compare's 100,000 draws)."""
    with pytest.raises(SystemExit):
        ci_null.main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "1..10,000 (default 200" in out and "100..100,000 as compare's --n-boot" in out


@pytest.mark.parametrize("flag, value", [("--sims", "+5"), ("--sims", "1_0"), ("--sims", "\u0661"), ("--sims", " 1"),
                                         ("--reps", "+100"), ("--seed", "+1"), ("--days", "6_3")])
def test_l2_ci_null_counts_are_the_digits_0_9_alone_as_compares(capsys, no_runs, flag, value) -> None:
    """trial FUZZ40 L2: int() took '+5', '1_0', '١' and ' 1'; compare's --workers refuses them in these words."""
    with pytest.raises(SystemExit) as exc:
        ci_null.main([flag, value])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and err.count("\n") == 1
    assert f"argument {flag}: {value!r} is not a whole number: write the digits 0-9 alone" in err


@pytest.mark.parametrize("flag, value, words", [("--noise", "garch,garch", "'garch,garch' gives garch twice: give "
                                                 "each noise once"),
                                                ("--days", "63,63", "'63,63' gives 63 twice: give each length once")])
def test_l2_a_repeated_noise_or_length_is_refused(capsys, no_runs, flag, value, words) -> None:
    """trial FUZZ40 L2: ``--noise garch,garch`` and ``--days 63,63`` ran the same line twice."""
    with pytest.raises(SystemExit) as exc:
        ci_null.main([flag, value, "--sims", "1", "--reps", "100"])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and err.count("\n") == 1 and f"argument {flag}: {words}" in err


def test_l3_days_beyond_the_window_is_refused_before_the_backtests(capsys, no_runs) -> None:
    """trial FUZZ40 L3: ``--days 1218`` was refused after both default backtests (1.8-2.3 s). The default window,
    2014-03-03..2018-12-31 (vixhedge/configs/default.toml), holds 1,218 sessions: 1,217 daily returns (``--days
    1217`` ran, fuzz40_report.md "Checked and FINE")."""
    assert ci_null.window_returns() == 1217
    with pytest.raises(SystemExit) as exc:
        ci_null.main(["--days", "63,1218", "--sims", "1", "--reps", "100"])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and err.count("\n") == 1
    assert "--days 1218: the default window has 1217 daily returns: give at most that" in err
