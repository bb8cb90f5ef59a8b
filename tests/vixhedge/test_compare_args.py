"""compare's arguments are checked in one place, :func:`vixhedge.compare_args.check_compare_args`, before any work, by
``api.compare`` and by ``vixhedge compare`` alike (audit 2026-12-04, finding 1: the checks lived only in the CLI;
``compare(cfg, ci_method="Percentile")`` ran BCa and recorded "Percentile", ``block_days=0`` was a
ZeroDivisionError after every mode had run, ``modes=("none",)`` an empty paired table)."""

from __future__ import annotations

import pytest

from vixhedge import api, bootstrap
from vixhedge.cli import main
from vixhedge.core import config as C


@pytest.fixture
def no_market(monkeypatch):
    """A market build fails the test: every check below comes before it."""
    import feeds.market
    import vixhedge.compare
    import vixhedge.run  # (imported before the patch: a module first imported under it would keep the stub for good)

    def refuse(*args, **kwargs):
        raise AssertionError("the market was built before the arguments were checked")

    for module in (feeds.market, vixhedge.compare, vixhedge.run):
        monkeypatch.setattr(module, "market_for", refuse)


@pytest.mark.parametrize("kwargs, why", [  # each line starts "compare: ", as modes' (trial API31 L1)
    ({"ci_method": "Percentile"}, r"^compare: ci_method = 'Percentile' is invalid: use one of \['percentile', 'bca'\] "
                                  r"\(as --ci-method\)$"),
    ({"ci_method": None}, r"^compare: ci_method = None is invalid"),
    ({"block_days": 0}, r"^compare: block_days = 0 is invalid: use a block of 1..\d+ days \(the window "
                        r"[\d-]+\.\.[\d-]+ has \d+ sessions\), or leave it out \(None: data-driven\) "
                        r"\(as --block-days\)$"),
    ({"block_days": -3}, r"^compare: block_days = -3 is invalid"),
    ({"block_days": 2.5}, r"^compare: block_days = 2.5 is invalid"),
    ({"block_days": True}, r"^compare: block_days = True is invalid"),
    ({"block_days": 10_000}, r"^compare: block_days = 10000 is invalid"),
    ({"modes": ("none",)}, r"^compare: modes = \('none',\) is invalid: give two or more distinct modes"),
    ({"modes": ("none", "alvh", "alvh")}, r"^compare: modes = \('none', 'alvh', 'alvh'\) is invalid: give two or "
                                          r"more distinct modes"),
    ({"modes": ()}, r"^compare: modes = \(\) is invalid"),
    ({"modes": "none"}, r"^compare: modes = 'none' is invalid"),
    ({"baseline": "static", "modes": ("none", "alvh")}, r"^compare: baseline = 'static' is not among modes = \('none', "
                                                         r"'alvh'\): add it to modes or give baseline one of "
                                                         r"\['none', 'alvh'\]$"),
], ids=str)
def test_api_compare_checks_its_arguments_before_any_work(kwargs, why, no_market):
    with pytest.raises(C.ConfigError, match=why) as caught:
        api.compare(api.load_default_config(), **kwargs)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("argv, why", [
    ("--modes none", r"^vixhedge: --modes 'none' is invalid: give two or more distinct modes"),
    ("--modes none,alvh,alvh", r"^vixhedge: --modes 'none,alvh,alvh' is invalid: give two or more distinct modes"),
    ("--block-days -3", r"^vixhedge: --block-days -3 is invalid: use a block of 1..\d+ days \(the window "
                        r"[\d-]+\.\.[\d-]+ has \d+ sessions\), or leave it out \(data-driven\)$"),
    ("--n-boot 99", r"^vixhedge: --n-boot 99 is invalid: use 100..100,000 bootstrap draws$"),
    ("--baseline static --modes none,alvh", r"^vixhedge: --baseline 'static' is not among --modes 'none,alvh': add "
                                            r"it to --modes or give --baseline one of \['none', 'alvh'\]$"),
], ids=str)
def test_cli_compare_says_the_same_checks_in_its_flags_words(argv, why, no_market, capsys, tmp_path):
    import re

    assert main(["compare", "--runs-dir", str(tmp_path), *argv.split()]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and re.search(why, err[0]), err
    assert not any(tmp_path.iterdir())


def test_ci_methods_are_one_list_the_cli_offers_and_the_bootstrap_runs(capsys):
    from vixhedge.cli import _parser

    assert bootstrap.CI_METHODS == C.CI_METHODS == ("percentile", "bca")
    sub = next(a for a in _parser()._actions if a.dest == "command").choices["compare"]
    assert tuple(next(a for a in sub._actions if a.dest == "ci_method").choices) == bootstrap.CI_METHODS
    with pytest.raises(SystemExit) as caught:
        main(["compare", "--ci-method", "Percentile"])
    assert caught.value.code == 2 and "invalid choice: 'Percentile'" in capsys.readouterr().err


def test_the_bootstrap_refuses_an_unknown_method_instead_of_running_bca():
    import numpy as np

    r = (np.linspace(-0.01, 0.01, 60),)
    with pytest.raises(ValueError, match=r"method = 'Percentile' is not a CI method"):
        bootstrap.paired_intervals(lambda x: np.array([x.mean()]), r, r, 5, 100, 1, "Percentile")


def test_a_block_given_to_a_window_too_short_for_the_bootstrap_is_said_unused() -> None:
    """Trial IO31: `compare --period volmageddon --block-days 5` (19 sessions) checked the flag, then used nothing
    of it, unsaid. The paired line says so where a block was given (paired.csv's attrs: an int), not for the
    data-driven block ("auto") or none."""
    import pandas as pd

    from vixhedge.compare_text import paired_caveats

    empty = pd.DataFrame(columns=["mode", "stat", "diff", "ci_low", "ci_high"])
    empty.attrs["block_days"] = 5
    assert "the 20 its block bootstrap needs (--block-days 5 is not used): read the table alone" in \
        paired_caveats(empty, 19)[0]
    empty.attrs["block_days"] = "auto"
    assert "is not used" not in paired_caveats(empty, 19)[0]
