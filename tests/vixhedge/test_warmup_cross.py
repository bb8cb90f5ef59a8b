"""metrics.json ``macd_warmup.last_cross``: the last MACD crossover before the window (trial RS35, finding 3: in 6 of
9 stress replays on real data the window opened with the regime already "fear rising", signals.csv ``regime`` 10,
14, 5, 17, 7, 14 on its first row, and no file said when the crossover fired), said in the console's data line and
report.html's data banner. (conftest's ``short_run``: the default config over 2015-06..12.)"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pytest

from feeds.market import build_market
from feeds.periods import macd_warmup
from strategies.signalset import compute, inputs_from_market
from vixhedge.core import config as C
from vixhedge.run import run_backtest


def _hand_hist(x: np.ndarray) -> np.ndarray:
    """MACD(12,26,9)'s histogram by hand, each EMA seeded with the SMA of its first values (backtrader's, as
    trial RS35's scripts/handmacd.py): MACD from bar 25, the signal line from bar 33."""
    def ema(v: np.ndarray, n: int) -> np.ndarray:
        out = np.full(len(v), np.nan)
        out[n - 1] = v[:n].mean()
        for k in range(n, len(v)):
            out[k] = out[k - 1] + 2 / (n + 1) * (v[k] - out[k - 1])
        return out

    macd = ema(x, 12) - ema(x, 26)
    signal = np.full(len(x), np.nan)
    signal[25:] = ema(macd[25:], 9)
    return macd - signal


def test_the_last_crossover_before_the_window_is_in_metrics_and_said(short_run, short_folder) -> None:
    """The embedded market's VX series (the MACD's input, signals.csv ``vx_signal_series``) from its first day,
    2014-01-03, through a hand MACD: its histogram last changed sign before 2015-06-01 on 2015-05-27, from below 0
    to above (MACD above its signal: cross_up, fear rising); the window's first row counts it in ``regime``: 4 (May
    27, 28, 29, June 1). A 2014-03-03 start has 39 sessions of history (tests/vixhedge/test_run_summary.py): the
    hand histogram's first value, on bar 33, and the five after it keep one sign, so no crossover came before that
    window (its first ``regime`` counts from the MACD's first value): no key and no sentence."""
    from vixhedge.summary import summary_table

    sig = short_run.signals
    i0 = int(np.searchsorted(sig.dates, np.datetime64("2015-06-01")))
    hist = _hand_hist(np.asarray(sig.series, dtype=float))
    flips = [t for t in range(34, i0) if np.sign(hist[t]) != np.sign(hist[t - 1])]
    t = flips[-1]
    assert str(sig.dates[t].date()) == "2015-05-27" and hist[t - 1] < 0 < hist[t]
    cross = short_run.metrics["macd_warmup"]["last_cross"]
    assert cross == {"date": "2015-05-27", "kind": "cross_up", "hist_before": pytest.approx(hist[t - 1], abs=1e-9),
                     "hist_after": pytest.approx(hist[t], abs=1e-9)}
    assert short_run.signals_log["regime"].iloc[0] == i0 - t + 1 == 4
    words = (f"The MACD's last crossover before the window: cross_up (fear rising) on 2015-05-27, histogram "
             f"{hist[t - 1]:+.4f} -> {hist[t]:+.4f}.")
    data = [ln for ln in summary_table(short_run).splitlines() if ln.strip().startswith("data ")]
    assert len(data) == 1 and data[0].endswith(" " + words)
    assert (Path(short_folder) / "report.html").read_text(encoding="utf-8").count(html.escape(words)) == 1
    cfg = C.replace(C.load_default(), run={"start": "2014-03-03", "end": "2014-04-30"})
    res = run_backtest(cfg, build_market(cfg.market))
    hist = _hand_hist(np.asarray(res.signals.series, dtype=float))[:39]
    assert len(set(np.sign(hist[33:]))) == 1 and np.isnan(hist[:33]).all()
    assert "last_cross" not in res.metrics["macd_warmup"] and "crossover before" not in summary_table(res)


# trial RS35's scripts/handmacd.py (its own MACD on the front-two VX blend, no vixhedge import), from each replay's
# market.history_start: the date of the last crossover before the window and the histogram (4 decimals) on the
# session before it and on its day, e.g. `handmacd.py 2017-09-20 2018-02-28 2018-01-05 2018-01-10` for volmageddon
RS35 = {"gfc": ("2008-08-19", -0.0114, 0.0626), "flash-crash": ("2010-04-14", -0.0005, 0.0008),
        "us-downgrade": ("2011-07-26", -0.0391, 0.0037), "volmageddon": ("2018-01-09", -0.0089, 0.0069),
        "yen-carry": ("2024-07-15", -0.0155, 0.0038)}


@pytest.mark.realdata
@pytest.mark.parametrize("name", list(RS35))
def test_the_replays_last_crossover_matches_a_hand_macd(shared_data, name) -> None:
    from vixhedge.cli_data import replay_config

    cfg = replay_config(name, shared_data, C.load_default())
    market = build_market(cfg.market)
    signals = compute(inputs_from_market(market, cfg.hedge, (cfg.run.start, cfg.run.end)), cfg.hedge)
    cross = macd_warmup(cfg, market, market.index_of(cfg.run.start), signals)["last_cross"]
    day, before, after = RS35[name]
    assert (cross["date"], cross["kind"]) == (day, "cross_up")
    assert cross["hist_before"] == pytest.approx(before, abs=6e-5) and cross["hist_after"] == pytest.approx(after,
                                                                                                            abs=6e-5)


@pytest.mark.realdata
def test_the_volmageddon_replay_writes_it(shared_data, tmp_path) -> None:
    """`vixhedge replay volmageddon --data-dir ../shared/data`: signals.csv's first row (2018-02-01) reads ``regime``
    17 (trial RS35), the sessions 2018-01-09 .. 02-01; metrics.json names that day."""
    import json

    from vixhedge.cli import main

    main(["replay", "volmageddon", "--data-dir", str(shared_data), "--runs-dir", str(tmp_path), "-q"])
    folder = next(tmp_path.iterdir())
    cross = json.loads((folder / "metrics.json").read_text())["macd_warmup"]["last_cross"]
    assert (cross["date"], cross["kind"]) == ("2018-01-09", "cross_up")
    first = (folder / "signals.csv").read_text().splitlines()[:2]
    assert dict(zip(first[0].split(","), first[1].split(",")))["regime"] == "17"
