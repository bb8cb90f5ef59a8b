"""A walk-forward's checks that need no market come before it is built (trial FUZZ37 M1, 2026-12-07: a spec with its
own in_sample_end, an SPA block as long as a fold's fit period, an --out holding a run, or fewer than two folds were
refused only after the market was built: 8.5 s on ../shared/data). Each is one line, exit 2, with the market's build
never called, and nothing written."""

from __future__ import annotations

import pytest

from tests.vixhedge.test_walkforward import SPEC
from vixhedge.cli import main


def _no_market(*args, **kwargs):
    raise AssertionError("the market was built before the refusal")


@pytest.mark.parametrize("extra, flags, words", [
    ("in_sample_end = 2016-01-04", [], "would be ignored: remove it"),
    ("", ["--spa-block-days", "600"], "--spa-block-days 600 is invalid: use a block of 1.."),
    ("", ["--walk-forward", "3,2"], "makes 1 fold(s) of the window 2014-06-02..2018-12-31"),
    ("", ["--out", "RUN"], "is a `vixhedge run` folder"),
], ids=["in-sample-end", "spa-block", "one-fold", "run-folder"])
def test_a_walk_forward_refused_without_a_market_is_refused_before_one_is_built(tmp_path, monkeypatch, capsys, extra,
                                                                               flags, words):
    import feeds.market

    monkeypatch.setattr(feeds.market, "build_market", _no_market)
    path = tmp_path / "wf.toml"
    path.write_text(SPEC.format(extra=extra))
    run = tmp_path / "RUN"
    run.mkdir()
    (run / "manifest.json").write_text("{}")
    flags = [str(run) if f == "RUN" else f for f in flags]
    plan = [] if "--walk-forward" in flags else ["--walk-forward", "2,1"]
    out = [] if "--out" in flags else ["--out", str(tmp_path / "out")]
    assert main(["sweep", str(path), *plan, *out, *flags, "-q"]) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists() and sorted(p.name for p in run.iterdir()) == ["manifest.json"]
