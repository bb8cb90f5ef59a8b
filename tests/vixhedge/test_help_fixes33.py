"""Trial HELP32's low findings left in session 32 (/work/notes/help32_report.md, L7, L8, L10, L11), mended in session
33: a help that named some of a table's keys, an example that rewrites a packaged file unsaid, errors that sent the
user to a module's source, and a fold's short test period nowhere in the help."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.vixhedge.test_help_fixes32 import help_of
from vixhedge.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_sweep_s_help_names_every_key_of_the_sweep_table(capsys) -> None:
    """L7: the spec section listed "workers, in_sample_end, ..." of the twelve keys load_spec accepts
    (vixhedge.sweep_spec.SWEEP_KEYS); each is named now, in the order of the README's [sweep] table."""
    from vixhedge.sweep_spec import SWEEP_KEYS

    text = help_of(["sweep"], capsys)
    start = text.index("spec (TOML):")
    spec = text[start:text.index("[base]", start)]
    named = re.findall(r"\b[a-z]+(?:_[a-z]+)*\b", spec)
    assert [k for k in named if k in SWEEP_KEYS and k not in ("name", "config")] == list(SWEEP_KEYS[2:])
    assert "README's [sweep] table" in spec and "the flags above override six of them" in spec
    flags = ("--workers", "--scheduler", "--engine", "--kernel", "--rank-by", "--spa-block-days")
    assert all(f in text for f in flags)  # the six (README: "--workers, --scheduler, ... override theirs")


def test_walk_forward_s_help_says_the_last_test_can_be_short_and_the_spec_sets_no_split(capsys) -> None:
    """L11: the macd_grid window with 2,1 gave a third fold tested on 146 sessions, not 252, and the help did not say
    it can happen; nor that the spec may not set in_sample_end (walkforward.checked_folds refuses it). The session
    count is sweep_spec.MIN_SIDE_SESSIONS (a shorter last test period is not judged: checked_folds)."""
    from vixhedge.sweep_spec import MIN_SIDE_SESSIONS

    text = help_of(["sweep"], capsys)
    assert "The last test period ends at the window's end, so it can be shorter than TEST" in text
    assert f"(under {MIN_SIDE_SESSIONS} sessions it is not judged)" in text
    assert "the spec may not set sweep.in_sample_end" in text


def test_feeds_events_help_says_its_example_rewrites_the_packaged_file() -> None:
    """L8: `python -m feeds.events --help` showed `build ../shared/data/fomc_cpi_macro_calendar` alone, which rewrites
    feeds/calendar_data/events.csv (only build --help's --out said so); the --out example leaves it untouched."""
    from feeds.events import parser

    text = parser().format_help()
    assert "rewrites the packaged feeds/calendar_data/events.csv" in text
    assert "--out my_events.csv\n        writes my_events.csv instead, the packaged file untouched" in text


@pytest.mark.parametrize("setup", ["empty", "no_spx"])
def test_a_data_directory_s_error_points_to_the_readme_not_a_module(tmp_path: Path, setup: str) -> None:
    """L10: `run --data-dir` on an incomplete folder ended "(see feeds.directory)": a module, not a help or README
    section; the README section it names now exists (its heading is checked)."""
    from feeds.layout import LAYOUTS, detect_layout
    from feeds.marketdata import DataError

    if setup == "no_spx":
        (tmp_path / "vx").mkdir()
        (tmp_path / "vix.csv").write_text("date,open,high,low,close\n")
    else:
        (tmp_path / "notes.txt").write_text("x\n")
    with pytest.raises(DataError) as err:
        detect_layout(tmp_path)
    assert str(err.value).endswith(f"({LAYOUTS})") and "feeds." not in str(err.value).split(":", 1)[1]
    assert "## Real data: sources, loaders, named replays" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_data_check_on_an_unknown_file_says_what_files_it_reads(tmp_path: Path, capsys) -> None:
    """L10: `vixhedge data check my.toml` ended "see feeds.check"; the line names the kinds of file it tells apart
    (feeds.check._kind: VX by name or trade_date, OHLC/index by date+close, SKEW, rates, vol indices, chains)."""
    bad = tmp_path / "my.csv"
    bad.write_text("when,what\n2020-01-02,1\n")
    assert main(["data", "check", str(bad)]) != 0
    err = capsys.readouterr().err
    assert "see feeds.check" not in err and "not a recognised data file (header ['what', 'when'])" in err
    for words in ("VX files (CFE_<M><YY>_VX.csv", "OHLC and index files (date and close columns)", "SKEW (date, skew)",
                  "short rates", "vol indices", "SPX option chains", "README *Real data*"):
        assert words in err, words
    assert err.count("\n") == 1, err
