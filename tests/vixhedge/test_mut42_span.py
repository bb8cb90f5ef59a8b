"""MUT42 probes for vixhedge.cli_data.data_span_words (trial TASK42 L3, commit 0978461a) and
vixhedge.core.config.paths.no_such_day (TASK42 L5). The data-span tests read ../shared/data (realdata)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vixhedge.cli import main

NO_DAY = "is not a calendar date (YYYY-MM-DD, but no such day): check the month and day"


@pytest.fixture
def data(shared_data, monkeypatch) -> Path:
    monkeypatch.delenv("VIXHEDGE_DATA_DIR", raising=False)  # (tests/conftest.py's no_data_dir_env)
    return shared_data


@pytest.mark.realdata
def test_a_flag_that_is_no_day_gets_no_data_span(data: Path, tmp_path: Path, capsys) -> None:
    """Kills D01 (the IN_CALENDAR clause dropped: every ConfigError of the flags got the data's span). --start
    2020-13-01 is no day (NOT_A_DAY, core/config/base.py), not a date outside the calendar: its one line alone, as
    without --data-dir (data_span_words' docstring: "exc as it is otherwise")."""
    assert main(["run", "--data-dir", str(data), "--start", "2020-13-01", "--end", "2020-12-31",
                 "--runs-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"vixhedge: --start '2020-13-01' {NO_DAY}"


@pytest.mark.realdata
def test_a_config_files_run_before_the_calendar_names_the_datas_span_too(data: Path, tmp_path: Path,
                                                                         capsys) -> None:
    """Kills D03 (the fallback to the default config dropped: a file whose own [run] is outside the calendar made the
    second base_config raise, and the span was left out). The file's [run] 1985-01-02..1985-12-31 with --data-dir:
    the same span and first day as test_task42's flags case (2000-01-03..; 2000-02-22, 34 bars of MACD(12,26,9))."""
    cfg = tmp_path / "c.toml"
    cfg.write_text("[run]\nstart = 1985-01-02\nend = 1985-12-31\n")
    assert main(["run", str(cfg), "--data-dir", str(data), "--runs-dir", str(tmp_path / "runs")]) == 2
    err = capsys.readouterr().err.strip()
    assert "span 2000-01-03.." in err and "a run starts on 2000-02-22 or later (34 bars of MACD warm-up)" in err, err


@pytest.mark.realdata
def test_the_span_uses_the_config_files_macd(data: Path, tmp_path: Path, capsys) -> None:
    """Kills D04 (the config file's MACD ignored: the default's 34 bars). hedge.macd.slow = 30 with signal 9 has
    30 + 9 - 1 = 38 bars of warm-up (HedgeMacd.warmup_bars); the data's sessions from 2000-01-03 put bar 38 four
    sessions after bar 34's 2000-02-22: 2000-02-23, 24, 25, 28."""
    cfg = tmp_path / "c.toml"
    cfg.write_text("[hedge.macd]\nslow = 30\n")
    assert main(["run", str(cfg), "--data-dir", str(data), "--start", "1985-01-02", "--end", "1985-12-31",
                 "--runs-dir", str(tmp_path / "runs")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith(": a run starts on 2000-02-28 or later (38 bars of MACD warm-up)"), err


def test_a_date_with_a_digit_after_it_keeps_tomls_words(tmp_path: Path, capsys, monkeypatch) -> None:
    """Kills N02 (no_such_day's `(?![\\d-])` dropped): `start = 2016-02-300` is no date of 2016-02-30 but a
    malformed value: tomllib's words stand (no_such_day's docstring: "" otherwise), not "2016-02-30 is not a
    calendar date"."""
    monkeypatch.delenv("VIXHEDGE_DATA_DIR", raising=False)
    path = tmp_path / "bad.toml"
    path.write_text("[run]\nstart = 2016-02-300\n")
    assert main(["run", str(path), "--runs-dir", str(tmp_path / "runs")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"vixhedge: {path}: not valid TOML (") and "no such day" not in err, err


def _said(text: str) -> str:
    import tomllib

    from vixhedge.core.config.paths import no_such_day

    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return no_such_day(Path("c.toml"), text, str(exc))
    raise AssertionError("tomllib read it")


def test_an_indented_table_header_still_names_the_key() -> None:
    """Kills N07 (the header pattern's leading `\\s*` dropped): TOML allows indentation before a table header; the
    key is run.end as test_task42's unindented case ("line 3: run.end = 2016-13-01")."""
    said = _said("  [run]\n  start = 2016-01-04\n  end = 2016-13-01\n")
    assert said == f"c.toml: line 3: run.end = 2016-13-01 {NO_DAY}", said


def test_a_date_with_no_key_on_its_line_is_named_without_one() -> None:
    """Kills N05 (`if key else ''` dropped: " = 2016-13-01"). A multi-line array's element on a line of its own has
    no key, no table and no `key = [` on its line: the line and the date alone."""
    said = _said("days = [\n  2016-13-01,\n]\n")
    assert said == f"c.toml: line 2: 2016-13-01 {NO_DAY}", said


def test_a_data_directory_that_does_not_load_leaves_the_calendars_line_alone(tmp_path: Path, capsys,
                                                                            monkeypatch) -> None:
    """Kills D05 (ValueError dropped from data_span_words' except: feeds' DataError is a ValueError). An empty folder
    as --data-dir ("not a data directory") with --start 1985-01-02: data_span_words' docstring, "exc as it is ...
    where the data do not load (the run names their error)": the calendar's line alone."""
    monkeypatch.delenv("VIXHEDGE_DATA_DIR", raising=False)
    (tmp_path / "empty").mkdir()
    assert main(["run", "--data-dir", str(tmp_path / "empty"), "--start", "1985-01-02", "--end", "1985-12-31",
                 "--runs-dir", str(tmp_path / "runs")]) == 2
    assert capsys.readouterr().err.strip() == ("vixhedge: --start 1985-01-02 is invalid: use a date in "
                                               "1990-01-01..2035-12-31 (the exchange calendar's range)")


def test_an_inline_tables_key_named_as_the_table_keeps_both_names() -> None:
    """Trial MUT42 L3: `[base]` / `run = { run = 2016-13-01 }` was named `base.run` (the inline table's name dropped
    where it equals the key inside it); the key is base.run.run."""
    said = _said("[base]\nrun = { run = 2016-13-01 }\n")
    assert said == f"c.toml: line 2: base.run.run = 2016-13-01 {NO_DAY}", said
