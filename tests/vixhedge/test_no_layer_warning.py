"""A hedge that trades but opened no layer in the whole window says so once, with its likely cause (finding M6 of
the fuzz trial, session 9: these runs exited 0 with "condors / layers 5 / 0" and no note).

Every config value below is a repro of the fuzz trial, session 9 (/work/fuzz/cfgs/p3_*.toml); the window
2015-06-01..2015-09-30 is the trial's window for every repro; the counts (47 adds, 5 purchase days, 6 crossovers)
and the VX maximum 31.7 are what signals.csv of those runs on the embedded market holds (fuzz trial, session 9,
rerun on this branch).
"""

from __future__ import annotations

import logging

import pytest

from vixhedge import api
from vixhedge.summary import summary_table

WINDOW = {"start": "2015-06-01", "end": "2015-09-30"}  # fuzz trial, session 9: the repros' window


@pytest.fixture(scope="module")
def base():
    cfg = api.replace_config(api.load_default_config(), run=WINDOW)
    return cfg, api.build_market(cfg.market)


def _run(base, caplog, **sections):
    cfg, market = base
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="vixhedge"):
        result = api.run_backtest(api.replace_config(cfg, **sections), market=market)
    lines = [r.getMessage() for r in caplog.records if "opened no layer" in r.getMessage()]
    return result, lines


REPROS = [  # fuzz trial, session 9: M6's four configs, and the cause each line must name
    ({"hedge": {"mode": "vxth", "vxth": {"levels": [1500.0, 3000.0, 5000.0]}}},
     "the VXTH weight was 0 on 5 purchase days (hedge.vxth.levels = [1500.0, 3000.0, 5000.0], weights = "
     "[0.0, 0.01, 0.005, 0.0], above every VX level seen (at most 31.7))"),
    ({"hedge": {"rsi": {"enabled": True, "add_min": 100.0, "remove_max": 0.0}}},
     "the RSI gate held back 47 adds (hedge.rsi.add_min = 100.0; RSI (14 bars) of the VX series ranged"),
    ({"hedge": {"term_structure": {"enabled": True, "add_min_ratio": 1.5, "remove_max_ratio": 0.5}}},
     "the term-structure gate held back 47 adds (hedge.term_structure.add_min_ratio = 1.50; the front / second VX "
     "ratio ranged"),
    ({"hedge": {"review_bars": 0, "on_cross_up": "nothing", "on_cross_down": "nothing"}},
     '6 MACD crossovers or reviews of their regime acted as "nothing" (hedge.on_cross_up = "nothing", on_cross_down = "nothing"); no review '
     "adds layers (hedge.review_bars = 0)"),
    # trial CF21 (session 21): a hedge budget of 0.001 x NAV refused all 12 adds (capital_cuts.csv); the line named
    # only the 1 add held without a condor. $5,500: the default VX initial margin of a layer's month
    ({"margin": {"hedge_budget_nav_fraction": 0.001}},
     "likely cause: the capital guard refused 12 adds (the first on 2015-06-01: hedge budget 0.001 x NAV: $1,000 "
     "left, $5,500 a unit; capital_cuts.csv lists each); 1 add came with no condor open"),
]


@pytest.mark.parametrize("sections, cause", REPROS, ids=["vxth_levels", "rsi", "term_structure", "no_review",
                                                         "hedge_budget"])
def test_a_hedge_that_never_opened_a_layer_warns_once_with_its_cause(base, caplog, sections, cause):
    result, lines = _run(base, caplog, **sections)
    assert result.metrics["counts"]["hedge_layers"] == 0 and result.metrics["counts"]["condors"] == 5
    assert len(lines) == 1 and "\n" not in lines[0]
    assert lines[0].startswith(f"WARNING: the hedge ({result.config.hedge.policy_name}) opened no layer in the whole "
                               "window: likely cause: ")
    assert cause in lines[0]
    assert result.metrics["no_layer"] == lines[0].removeprefix("WARNING: ")  # metrics.json, report.html's banner
    assert "  WARNING             The hedge (" in summary_table(result)


@pytest.mark.parametrize("sections", [{}, {"hedge": {"mode": "none"}}, {"hedge": {"mode": "static"}}],
                         ids=["default", "none", "static"])
def test_a_run_that_hedged_or_hedges_nothing_has_no_such_warning(base, caplog, sections):
    result, lines = _run(base, caplog, **sections)
    assert lines == [] and "no_layer" not in result.metrics


def test_the_banner_is_in_report_html(base, caplog, tmp_path):
    result, _ = _run(base, caplog, **REPROS[0][0])
    html = (api.write_run(result, tmp_path) / "report.html").read_text(encoding="utf-8")
    assert "<b>Warning:</b> The hedge (vxth) opened no layer in the whole window: likely cause:" in html


def test_two_refusals_in_one_session_are_two_with_the_first_reason():  # trial MUT21 W4
    import pandas as pd

    from vixhedge.why_idle import _refused_adds

    log = pd.DataFrame({"date": ["2015-06-01"], "capital": ["add layer L1 x1 refuse 1->0 (budget A);"
                                                           "add layer L2 x1 refuse 1->0 (budget B)"]})
    assert _refused_adds(log).startswith("the capital guard refused 2 adds (the first on 2015-06-01: budget A;")
