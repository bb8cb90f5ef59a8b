"""Trial MUT33 (2026-12-07, /work/notes/mut33_report.md: 112 hand mutants of session 33's new code, 87 killed): each
test kills survivors that would mislead a researcher (a refusal lost, the kernel and the event path leaving different
layers at a fee tie) or undo a help fix; each was shown to kill its mutants on a snapshot."""

from __future__ import annotations

import datetime as dt
import os
from types import SimpleNamespace

import numpy as np
import pytest

from vixhedge.core import config as C

BASE = C.load_default()


def _with(key: str, value: str) -> C.Config:
    _, table, leaf = key.split(".")
    return C.replace(BASE, hedge={table: {leaf: value}})


def _market_for_refuses(cfgs) -> str:
    from feeds.market import market_for

    with pytest.raises(C.ConfigError) as err:
        market_for(cfgs, market=object())
    return str(err.value)


def test_m1_the_permission_asked_is_read(tmp_path, monkeypatch) -> None:
    """MUT33 P10 (paths.file_problem asking os.F_OK, not os.R_OK, survived: the existing test's os.access says False
    to every mode). A file that exists but may not be read is refused naming the key."""
    from vixhedge.core.config import paths

    path = tmp_path / "ad.csv"
    path.write_text("date,sp500_advancers,sp500_decliners\n")
    monkeypatch.setattr(paths.os, "access", lambda p, mode: mode != os.R_OK)
    assert "is a file you may not read (no read permission)" in _market_for_refuses(_with("hedge.fomc.ad_csv",
                                                                                          str(path)))


def test_m1_every_config_given_to_market_for_is_checked() -> None:
    """MUT33 M03 (market_for checking only configs[0] survived): compare's --variant can set a file key for one
    variant only (compare.py:206 and cli.py:212 pass every mode's config)."""
    assert _market_for_refuses([BASE, _with("hedge.events.calendar_csv", "/tmp")]) == (
        'hedge.events.calendar_csv = "/tmp" is a folder, not a file: give the calendar CSV file, or set it to ""')


def _event_left(bid, ask, fee=1.10, fill="bid_ask", spread=True) -> bool:
    from strategies.layers import LayerActions
    from vixhedge.core.instruments import Contract, Kind, Right

    exp = dt.date(2018, 2, 14)
    long, short = (Contract(Kind.VIX_OPTION, exp, k, Right.CALL) for k in (24.0, 29.0))
    legs = ((long, 626), (short, -626)) if spread else ((long, 3),)
    quotes = {long: SimpleNamespace(bid=bid, ask=bid + 0.10, mid=bid + 0.10),
              short: SimpleNamespace(bid=ask - 0.05, ask=ask, mid=ask)}
    cfg = C.replace(BASE, execution={"fee_vix_option_usd": fee, "fill": fill})
    book = SimpleNamespace(market=SimpleNamespace(quote=lambda c, i: quotes[c]), cfg=cfg)
    return LayerActions._closes_for_nothing(book, 0, legs)


def _kernel_left(bid, ask, fee=1.10, fill="bid_ask", spread=True) -> bool:
    from vixhedge.kernel_options import OptionSlots

    def get(k, cols, strikes, use):
        rows = [(bid + 0.10, bid, bid + 0.10, 0.0) if s == 24.0 else (ask, ask - 0.05, ask, 0.0)
                for s in np.ravel(strikes)]
        return np.where(use, np.array(rows).T.reshape(4, *np.shape(strikes)), 0.0)

    cfg = C.replace(BASE, execution={"fee_vix_option_usd": fee, "fill": fill})
    st = SimpleNamespace(col=np.zeros((1, 1), dtype=np.int64), empty=-1)
    slots = OptionSlots({"spread": np.array([spread]), "width": np.array([5.0])}, st,
                        SimpleNamespace(options=SimpleNamespace(get=get)), cfg.execution)
    slots.k1[0, 0], slots.n[0, 0] = 24.0, 626.0
    return bool(slots.closes_for_nothing(0, np.array([True]), 0)[0])


# (quotes, fee, fill, spread) -> left: tests/strategies/test_trader_journal.py's cases, and a tie within rounding:
# long bid 0.07 / short ask 0.05 at $1.00 a leg is 7.000000000000001 - 5.0 - 2.0 = 8.9e-16 USD (IEEE doubles),
# under CLOSE_TOLERANCE_USD (strategies/book.py: "the tolerance absorbs a tie's rounding"): left
EDGE = [((0.10, 0.15), {}, True), ((0.30, 0.15), {}, False), ((0.17, 0.15), {"fee": 1.00}, True),
        ((0.17, 0.15), {"fee": 0.99}, False), ((0.07, 0.05), {"fee": 1.00}, True),
        ((0.10, 0.15), {"fill": "mid"}, False), ((0.01, 0.15), {"spread": False}, True),
        ((0.02, 0.15), {"spread": False}, False)]


@pytest.mark.parametrize("quotes, over, left", EDGE)
def test_the_kernel_and_the_event_path_leave_the_same_layers_at_the_fee_edge(quotes, over, left) -> None:
    """MUT33 KO02 (the kernel's test ``<= CLOSE_TOLERANCE_USD`` as ``< 0``), LA09 (the event path's as ``<= 0``),
    BK01 (CLOSE_TOLERANCE_USD = 0) survived: no test put a tie, or a tie's rounding, to the kernel; a kernel sweep
    point would close what its reproduced run leaves (a tie is reachable: $2.50 a leg, a spread bid 0.05 over)."""
    assert _event_left(*quotes, **over) == left
    assert _kernel_left(*quotes, **over) == left


def test_the_other_data_lines_point_to_the_readme_not_a_module(tmp_path, capsys) -> None:
    """MUT33 HX01-HX03 (cosmetic: "(see feeds.directory)" / "(see feeds.loaders.vx)" restored in cli.py:136,
    config/market.py:290, loaders/vx.py:171 survived; HELP32 L10 moved these lines to README *Real data*)."""
    from feeds.loaders.vx import detect_layout
    from vixhedge.cli import main

    with pytest.raises(C.ConfigError) as err:
        C.replace(BASE, market={"source": "directory", "data_dir": ""})
    assert str(err.value).endswith("(README *Real data* gives the layouts)")
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(Exception) as err:
        detect_layout(bad)
    assert "(README *Real data* gives the VX layouts)" in str(err.value)
    cfg, nope = tmp_path / "c.toml", tmp_path / "nope"
    cfg.write_text(f'[market]\nsource = "directory"\ndata_dir = "{nope}"\n')
    assert main(["run", str(cfg), "--start", "2015-03-02", "--end", "2015-03-20", "--runs-dir",
                 str(tmp_path / "runs")]) == 2
    assert "does not exist: give the folder of the data files (README *Real data* gives the layouts)" in \
        capsys.readouterr().err
