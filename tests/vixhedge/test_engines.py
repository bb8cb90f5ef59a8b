"""The two engines (backtrader and the plain day loop) give byte-identical results.

They drive the same Desk, Trader and analyzer cores; these tests pin that the drivers agree on
everything the run writes: every CSV byte, every metric, and the whole run folder.
"""

import filecmp
import json
import subprocess
import sys

import pytest

from feeds.market import build_market
from vixhedge.core import config as C
from vixhedge.report import write_run
from vixhedge.run import run_backtest

WINDOW = {"start": "2015-03-02", "end": "2016-06-30"}  # Aug 2015 spike, Jan-Feb 2016 sell-off
FRAMES = ("daily", "trades", "layers", "condors", "attribution", "signals_log")


def _configs() -> dict[str, C.Config]:
    base = C.load_default()
    out = {name: C.load_preset(name) for name in ("steward", "promoter", "cndr", "vxth")}
    out["default"] = base
    out["none"] = C.replace(base, hedge={"mode": "none"})
    out["static"] = C.replace(base, hedge={"mode": "static"})
    out["call_spread_vega_ratio"] = C.replace(base, hedge={"instrument": "vix_call_spread", "sizing": "vega_ratio"})
    out["stops_and_rolls"] = C.replace(base, condor={"exit_dte": 10, "roll_on_dte": True, "stop_multiple": 1.5})
    out["signal_delay_1"] = C.replace(base, execution={"signal_delay_bars": 1})  # strategies.signaldelay
    return {k: C.replace(v, run=WINDOW) for k, v in out.items()}


CONFIGS = _configs()


@pytest.fixture(scope="module")
def market():
    return build_market(C.load_default().market)


def _csv(frame) -> str:
    return frame.to_csv(float_format="%.17g", lineterminator="\n")


@pytest.mark.parametrize("name", list(CONFIGS))
def test_engines_agree_bit_for_bit(name: str, market) -> None:
    cfg = CONFIGS[name]
    bt_run = run_backtest(cfg, market, engine="backtrader")
    fast = run_backtest(cfg, market, engine="fast")
    assert (bt_run.engine, fast.engine) == ("backtrader", "fast")
    assert len(bt_run.trades) > 0
    for frame in FRAMES:
        assert _csv(getattr(fast, frame)) == _csv(getattr(bt_run, frame)), frame
    assert json.dumps(fast.metrics, sort_keys=True, default=str) == json.dumps(bt_run.metrics, sort_keys=True,
                                                                                default=str)


def test_run_folders_identical_but_for_the_engine(tmp_path, market) -> None:
    cfg = CONFIGS["default"]
    import shutil

    # the same folder (its manifest and report name it): the first write is set aside before the second
    a = shutil.copytree(write_run(run_backtest(cfg, market, engine="backtrader"), tmp_path / "runs"), tmp_path / "bt")
    b = write_run(run_backtest(cfg, market, engine="fast"), tmp_path / "runs")
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    _, mismatch, errors = filecmp.cmpfiles(a, b, [n for n in names if n not in ("manifest.json", "report.html")],
                                           shallow=False)
    assert (mismatch, errors) == ([], [])
    # the report names the replay command, which names a non-default engine (vixhedge.report): only that differs
    page_a = (a / "report.html").read_text(encoding="utf-8")
    flag = ' <span class="nw">--engine</span> backtrader'  # (a command's hyphenated words do not wrap: html.table)
    assert page_a.replace(flag, "") == (b / "report.html").read_text(encoding="utf-8")
    ma, mb = (json.loads((d / "manifest.json").read_text()) for d in (a, b))
    # embedded data: every option mark and fill is modelled; one fill count per trades.csv row
    trades = run_backtest(cfg, market, engine="fast").trades
    marks, fills = ma["quote_origins"]["marks"]["spx_option"], ma["quote_origins"]["fills"]["spx_option"]
    assert marks["real"] == marks["anchored"] == fills["real"] == fills["anchored"] == 0 and marks["model"] > 0
    assert fills["model"] == int((trades["kind"] == "spx_option").sum()) > 0
    assert (ma.pop("engine"), mb.pop("engine")) == ("backtrader", "fast")
    assert ma.pop("replay_command") == mb.pop("replay_command") + " --engine backtrader"  # both name runs/<id>
    assert ma == mb


def test_unknown_engine_is_a_config_error(market) -> None:
    with pytest.raises(C.ConfigError, match=r"engine = 'zipline' is not known: use one of \['backtrader', 'fast'\]"):
        run_backtest(CONFIGS["default"], market, engine="zipline")


PURE_CORE = ("vixhedge.core.desk", "vixhedge.core.ledger", "vixhedge.core.pricing", "vixhedge.core.signals", "vixhedge.bridge",
             "strategies.trader", "strategies.hedge", "strategies.book", "strategies.condor", "strategies.vxth",
             "strategies.signalset", "feeds.market")


def test_the_pure_core_imports_no_backtrader() -> None:
    """What both engines drive (desk, trader, policies, market) loads without backtrader."""
    code = f"import importlib, sys\nfor m in {PURE_CORE!r}: importlib.import_module(m)\nprint('backtrader' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
