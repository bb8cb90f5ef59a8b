"""Adds ``hedge.require_condor`` held back for want of a condor: metrics.json ``held_without_condor``, a note.

A researcher's trial (session 14, real data 2007-06-01..2022-12-30, default config, before the SPX surface refit):
the condor was stopped out on 2020-02-24 and re-entered on 2020-03-16; meanwhile the rule held back the adds of 13
sessions in a row (``review_fear_rising!no_condor``) and the run said nothing. The README's example now (*Where a
window starts*; `vixhedge run --data-dir ../shared/data --start 2011-08-01 --end 2011-08-31`, its signals.csv and
stderr note): the rule held back 12 adds in a row, 2011-08-04..08-19, while the VX series went 26.52 -> 34.88; the
hedge earned $6,150 over that month alone and $109,850 over those days of the 2007-06-01..2022-12-30 run.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from vixhedge import api
from vixhedge.report_sections import held_banner
from vixhedge.why_idle import HELD_STRETCH, held_without_condor, held_words


def _log(tags: list[str], vx: list[float]) -> pd.DataFrame:
    days = pd.bdate_range("2020-02-24", periods=len(tags), name="date")
    return pd.DataFrame({"rules_fired": tags, "vx_signal_series": vx}, index=days)


def test_the_longest_run_of_held_adds_and_its_vx() -> None:
    held = "review_fear_rising!no_condor"
    log = _log(["", held, "", held, "macd_cross_up!no_condor", held, "x!rsi", held],
               [20.0, 21.0, 22.0, 23.0, 30.0, 26.0, 25.0, 40.0])
    h = held_without_condor(log)
    # 5 held of 8 bars; the longest run is bars 3..5 (2020-02-27..03-02), VX 23 -> 26, high 30
    assert h == {"adds": 5, "longest": {"adds": 3, "first": "2020-02-27", "last": "2020-03-02", "vx_first": 23.0,
                                        "vx_last": 26.0, "vx_max": 30.0}}
    assert HELD_STRETCH == 3
    words = held_words(h)
    assert words.startswith("hedge.require_condor held back 3 adds on consecutive sessions from 2020-02-27 to "
                            "2020-03-02 while no condor was open (the VX series of hedge.macd.series went "
                            "23.00 -> 26.00, high 30.00; 5 adds held in the run)")
    assert "set hedge.require_condor = false" in words
    assert "Note:</b> hedge.require_condor held back 3 adds" in held_banner({"held_without_condor": h})


def test_no_note_below_the_stretch_nor_without_a_held_add() -> None:
    assert held_without_condor(_log(["", "a!rsi"], [1.0, 2.0])) is None
    assert held_without_condor(pd.DataFrame()) is None
    two = held_without_condor(_log(["a!no_condor", "a!no_condor", ""], [1.0, np.nan, 3.0]))
    assert two["longest"]["adds"] == 2 and two["longest"]["vx_max"] == 1.0 and held_words(two) == ""
    assert held_banner({}) == ""


def test_the_default_run_notes_its_held_adds(caplog) -> None:
    """The default config on the embedded market (2014-03-03..2018-12-31): the rule held back 14 adds, 6 of them on
    consecutive sessions, 2016-01-08..01-15 (its signals.csv); metrics.json keeps them and the run notes them once."""
    cfg = api.replace_config(api.load_default_config(), run={"start": "2015-11-02", "end": "2016-03-31"})
    with caplog.at_level(logging.WARNING, logger="vixhedge"):
        result = api.run_backtest(cfg)
    h = result.metrics["held_without_condor"]
    assert (h["longest"]["first"], h["longest"]["last"], h["longest"]["adds"]) == ("2016-01-08", "2016-01-15", 6)
    notes = [r.getMessage() for r in caplog.records if "hedge.require_condor held back" in r.getMessage()]
    assert len(notes) == 1 and notes[0].startswith("note: hedge.require_condor held back 6 adds")


@pytest.mark.realdata
def test_a_window_alone_against_the_same_days_of_a_long_run(shared_data) -> None:
    """README *Where a window starts*, on ../shared/data with the default config: `vixhedge run --data-dir
    ../shared/data --start 2011-08-01 --end 2011-08-31` earns $6,150 on its hedge (1 VX contract, 08-01); its condor
    (September expiry) is stopped on 08-04, the next opens on 08-22 (October's), and the rule holds back 12 adds in a
    row, 08-04..08-19, VX 26.52 -> 34.88. The same days of `--start 2007-06-01 --end 2022-12-30` earn $109,850 on 4
    layers, 7 contracts, bought before August, the condor re-entering on 08-05 (daily.csv, condors.csv)."""
    base = api.replace_config(api.load_default_config(), market={"source": "directory", "data_dir": str(shared_data)})
    alone = api.run_backtest(api.replace_config(base, run={"start": "2011-08-01", "end": "2011-08-31"}))
    assert alone.daily["hedge_pnl_usd"].sum() == pytest.approx(6_150.0, abs=0.5)
    assert [str(d)[:10] for d in alone.condors["entry_date"]] == ["2011-08-01", "2011-08-22"]
    h = alone.metrics["held_without_condor"]["longest"]
    assert (h["first"], h["last"], h["adds"], h["vx_first"], h["vx_last"]) == ("2011-08-04", "2011-08-19", 12,
                                                                           pytest.approx(26.52, abs=0.005),
                                                                           pytest.approx(34.88, abs=0.005))
    long = api.run_backtest(api.replace_config(base, run={"start": "2007-06-01", "end": "2022-12-30"}))
    aug = long.daily.loc["2011-08-01":"2011-08-31"]
    assert aug["hedge_pnl_usd"].sum() == pytest.approx(109_850.0, abs=0.5)
    assert aug["hedge_layers"].iloc[0] == 4
    # metrics.json named_periods says both (analyzers.periods; trial RS20 wrote an analyzer for it)
    inside = next(p for p in long.metrics["named_periods"] if p["name"] == "us-downgrade")
    (first,) = alone.metrics["named_periods"]
    assert (inside["hedge_pnl_usd"], first["hedge_pnl_usd"]) == (pytest.approx(109_850.0, abs=0.5),
                                                                 pytest.approx(6_150.0, abs=0.5))
    assert inside["entered_with"] == {"hedge_layers": 4, "condor": True} and first["entered_with"] is None
    assert {p["name"] for p in long.metrics["named_periods"]} == {"gfc", "flash-crash", "us-downgrade", "china-deval",
                                                                  "volmageddon", "q4-2018", "covid", "bear-2022"}
    assert "2011-08-05" in {str(d)[:10] for d in long.condors["entry_date"]}
