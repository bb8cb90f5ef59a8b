"""The config-side findings of the fuzz trial FUZZ33 (/work/notes/fuzz33_report.md, main at ac2f9b6; its driver
/tmp/fuzz33/fuzz.py): each refused in one line naming the key, before any work. The finding's id names each test,
and each case is the trial's: H1 a NUL in a path key (exit 3), H2 a line break in a column name (a config.toml
its own reader refused), M1 a folder as a calendar, M2 /dev/zero read until memory ran out, L7 a FIFO read forever,
L1 a TOML datetime's time dropped, L3 hedge.macd.slow = 2**31 blamed on --start/--end."""

from __future__ import annotations

import datetime as dt
import os
import threading

import pandas as pd
import pytest

from vixhedge.cli import main
from vixhedge.core import config as C
from vixhedge.core.config.load import read_toml
from vixhedge.core.config.write import toml_value

BASE = C.load_default()
CONTROL = [chr(c) for c in (*range(0x20), 0x7F)]  # U+0000..U+001F and U+007F: what a TOML basic string escapes


@pytest.mark.parametrize("char", CONTROL, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("key", ["hedge.events.calendar_csv", "hedge.fomc.ad_csv", "hedge.fomc.ad_advances_column",
                                 "hedge.fomc.ad_declines_column", "run.name", "market.synthetic.shocks",
                                 "market.data_dir", "hedge.policy", "condor.selector"])
def test_h1_h2_a_control_character_in_a_string_key_is_refused_naming_it(key, char) -> None:
    """H1 (``calendar_csv = "a\\u0000b"``: exit 3 ``embedded null byte``) and H2 (``ad_advances_column = "a\\nb"``:
    a config.toml its own reader refused after the whole run): one rule for every string key, at load."""
    section, *middle, leaf = key.split(".")
    table: dict = {leaf: f"a{char}b"}
    for part in reversed(middle):
        table = {part: table}
    with pytest.raises(C.ConfigError) as err:
        C.replace(BASE, **{section: table})
    assert str(err.value) == (f"{key} = {f'a{char}b'!r} is invalid: a config string holds no control character "
                              "(a NUL, line break, tab, ...: U+0000..U+001F, U+007F): remove it")
    with pytest.raises(C.ConfigError, match="holds no control character"):  # a file's key, as from_dict reads it
        C.from_dict({section: table})


def test_h1_h2_in_a_file_on_the_command_line_and_in_a_plugin_table(tmp_path, capsys) -> None:
    """The trial's /tmp/fuzz33/nul.toml and its --set case: exit 2 in one line (exit 3 before); a plug-in's own
    table holds strings that config.toml writes too."""
    path = tmp_path / "nul.toml"
    path.write_text('[hedge.events]\ncalendar_csv = "a\\u0000b"\n')
    with pytest.raises(C.ConfigError, match=r"nul.toml: hedge.events.calendar_csv = 'a\\x00b' is invalid"):
        C.load(path)
    assert main(["run", "--set", 'hedge.fomc.ad_advances_column="a\\nb"', "--print-config"]) == 2  # printed it, exit 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "hedge.fomc.ad_advances_column = 'a\\nb' is invalid" in err
    with pytest.raises(C.ConfigError, match=r"^hedge.policy_params.tag\[1\] = 'x\\ty' is invalid"):
        C.replace(BASE, hedge={"policy": "placebo", "policy_params": {"tag": ["ok", "x\ty"]}})


@pytest.mark.parametrize("text", ["a" + c + "b" for c in CONTROL] + ['q"uote', "back\\slash", "\\u0041", "é ü ß",
                                                                     "\u2028 \u00a0 \u0085", "😀 中文", ""])
def test_h2_the_writer_escapes_what_a_toml_basic_string_needs_and_reads_back(tmp_path, text) -> None:
    """toml_value escaped only \\ and \" (write.py:77-88): "a\\nb" was written raw; TOML 1.0 basic strings escape
    U+0000..U+0008, U+000A..U+001F and U+007F (tab may stand raw; written escaped too). Read back by the project's own
    reader (read_toml)."""
    path = tmp_path / "v.toml"
    path.write_text(f"v = {toml_value(text)}\n", encoding="utf-8")
    assert read_toml(path) == {"v": text}
    assert all(c not in toml_value(text) for c in CONTROL)


@pytest.mark.parametrize("key", ["a b", "a\nb", "é", "a.b", 'q"', "", "plain_key-1"])
def test_h2_a_plugin_tables_key_is_written_as_toml_reads_it_back(tmp_path, monkeypatch, key) -> None:
    """A plug-in's own table keeps the keys given (``"a b" = 1`` read from a quoted key); config.toml wrote them bare
    (``a b = 1``: not TOML, a config.toml its own reader refused, as H2's values). A key TOML allows bare (every key
    of the config's own tables) stays bare."""
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "fz33_pol.py").write_text("from vixhedge.api import Decision\n\n\ndef policy(state, snap, cfg):\n"
                                          "    return Decision()\n")
    cfg = C.replace(BASE, hedge={"policy": "fz33_pol:policy", "policy_params": {key: 1, "v": "x"}})
    path = tmp_path / "config.toml"
    path.write_text(C.to_toml(cfg), encoding="utf-8")
    assert C.load(path) == cfg
    assert (f"\n{key} = 1\n" in C.to_toml(cfg)) == (key == "plain_key-1")


def test_l1_a_toml_datetime_in_a_file_is_refused_as_set_refuses_it(tmp_path) -> None:
    """``run.start = 2015-03-02T10:00:00`` in a file ran, its time dropped; ``--set`` refused it in these words."""
    for key, section in (("start", "[run]"), ("start", "[market.synthetic]"), ("end", "[market.synthetic]")):
        path = tmp_path / "dt.toml"
        path.write_text(f"{section}\n{key} = 2015-03-02T10:00:00\n")
        name = f"{section.strip('[]')}.{key}"
        with pytest.raises(C.ConfigError) as err:
            C.load(path)
        assert str(err.value) == f"{path}: {name} = 2015-03-02T10:00:00: give a date (YYYY-MM-DD), not a date and time"
    with pytest.raises(C.ConfigError, match="not a date and time"):
        C.replace(BASE, run={"start": dt.datetime(2015, 3, 2, 10)})
    with pytest.raises(C.ConfigError, match="not a date and time"):  # (a zone makes it an instant, not a date)
        C.replace(BASE, run={"start": dt.datetime(2015, 3, 2, tzinfo=dt.timezone.utc)})
    for day in (dt.date(2015, 3, 2), dt.datetime(2015, 3, 2), pd.Timestamp("2015-03-02")):  # midnight: a date
        assert C.replace(BASE, run={"start": day}).run.start == dt.date(2015, 3, 2)


@pytest.mark.parametrize("key, value", [("slow", 2147483648), ("signal", 2147483648), ("slow", 2**63 - 1),
                                        ("fast", 1001), ("slow", 1001), ("signal", 1001)])
def test_l3_a_macd_period_has_an_upper_bound_naming_the_key(key, value) -> None:
    """``--set hedge.macd.slow=2147483648`` was blamed on ``--start/--end`` (the warm-up the window cannot hold)."""
    macd = {"fast": 12, "slow": 2000 if key == "fast" else 26, "signal": 9, key: value}
    with pytest.raises(C.ConfigError) as err:
        C.replace(BASE, hedge={"macd": macd})
    assert str(err.value).startswith(f"hedge.macd.{key} = {value} is invalid: use at most 1,000 bars")
    assert C.replace(BASE, hedge={"macd": {"fast": 999, "slow": 1000, "signal": 1000}}).hedge.macd.warmup_bars == 1999


KEYS = ("hedge.events.calendar_csv", "hedge.fomc.calendar_csv", "hedge.fomc.ad_csv")
WHAT = {"hedge.events.calendar_csv": "calendar CSV file", "hedge.fomc.calendar_csv": "FOMC calendar CSV file",
        "hedge.fomc.ad_csv": "advance/decline CSV file"}


def _with(key: str, value: str) -> C.Config:
    _, table, leaf = key.split(".")
    return C.replace(BASE, hedge={table: {leaf: value}})


def _market_for_refuses(cfg: C.Config) -> str:
    from feeds.market import market_for

    with pytest.raises(C.ConfigError) as err:
        market_for(cfg, market=object())  # checked whether or not a market is given (none is built here)
    return str(err.value)


@pytest.mark.parametrize("key", KEYS)
def test_m1_m2_l7_a_file_key_naming_no_regular_file_is_one_line_naming_it(tmp_path, key) -> None:
    """M1: a folder gave guard's generic line pointing at the config file, a name too long ``cannot read or
    write``; M2: /dev/zero was read until memory ran out (exit 3 after 6-10 s); L7: a FIFO blocked forever."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    fix = f': give the {WHAT[key]}, or set it to ""'
    assert _market_for_refuses(_with(key, "/tmp")) == f'{key} = "/tmp" is a folder, not a file{fix}'
    assert _market_for_refuses(_with(key, "/dev/zero")) == (f'{key} = "/dev/zero" is a character device, not a '
                                                            f"regular file{fix}")
    assert _market_for_refuses(_with(key, str(fifo))) == (f'{key} = "{fifo}" is a FIFO (named pipe), not a regular '
                                                          f"file{fix}")
    long = "x" * 300  # the trial's 300 characters: File name too long
    assert _market_for_refuses(_with(key, long)) == (f'{key} = "{long[:60]}..." (taken relative to the current '
                                                     f"directory) is too long a path (300 characters; a name holds at "
                                                     f"most 255 bytes){fix}")
    assert main(["run", "--set", f"{key}=/tmp", "--start", "2015-03-02", "--end", "2015-03-20",
                 "--runs-dir", str(tmp_path / "runs")]) == 2
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


def test_m1_an_unreadable_file_key_is_one_line_naming_it(tmp_path, monkeypatch) -> None:
    """An A/D file without read permission (os.access says so: the tests may run as root, who reads any file)."""
    from vixhedge.core.config import paths

    path = tmp_path / "ad.csv"
    path.write_text("date,sp500_advancers,sp500_decliners\n")
    monkeypatch.setattr(paths.os, "access", lambda p, mode: False)
    assert _market_for_refuses(_with("hedge.fomc.ad_csv", str(path))) == (
        f'hedge.fomc.ad_csv = "{path}" is a file you may not read (no read permission): give the advance/decline CSV '
        'file, or set it to ""')


def test_m1_the_command_line_says_the_key_before_any_work(tmp_path, capsys) -> None:
    """The trial's ``hedge.events.calendar_csv = "/tmp"``: guard.py:207's ``/tmp is a folder, not a file: give a file
    (vixhedge run, compare: a .toml config file)`` after the running line; now the one line, nothing before it."""
    cfg = tmp_path / "c.toml"
    cfg.write_text('[hedge.events]\ncalendar_csv = "/tmp"\n')
    assert main(["run", str(cfg), "--start", "2015-03-02", "--end", "2015-03-20", "--runs-dir",
                 str(tmp_path / "runs")]) == 2
    assert capsys.readouterr().err == ('vixhedge: hedge.events.calendar_csv = "/tmp" is a folder, not a file: give '
                                       'the calendar CSV file, or set it to ""\n')


def test_m1_a_sweeps_base_names_the_key_before_any_work(tmp_path, capsys) -> None:
    """The same line from a sweep's preflight, prefixed as its other [base] lines are; no output folder made. A folder,
    not /dev/zero: the code without the check read /dev/zero in this process until the machine's memory ran out
    (trial MUT33's side finding 1)."""
    assert _sweep_refusal(tmp_path, f'hedge = {{ fomc = {{ ad_csv = "{tmp_path}" }} }}\n[grid]\n'
                                    '"hedge.max_layers" = [2, 3]\n', capsys) == (
        f"vixhedge: sweep 'fz': [base] hedge.fomc.ad_csv = \"{tmp_path}\" is a folder, not a file: "
        'give the advance/decline CSV file, or set it to ""')


def test_a_sweeps_grid_value_naming_a_folder_is_one_line_before_any_work(tmp_path, capsys) -> None:
    """Trial MUT33's side finding 2: `[grid] "hedge.events.calendar_csv" = ["", "/dev/zero"]` read /dev/zero on the
    first point until MemoryError (exit 3): the preflight checked [base] only. A folder here (see above)."""
    assert _sweep_refusal(tmp_path, f'[grid]\n"hedge.events.calendar_csv" = ["", "{tmp_path}"]\n', capsys) == (
        f"vixhedge: sweep 'fz': grid.hedge.events.calendar_csv = \"{tmp_path}\" is a folder, not a file: "
        'give the calendar CSV file, or set it to ""')


def _sweep_refusal(tmp_path, rest: str, capsys) -> str:
    """The last stderr line of a sweep of a spec ending in ``rest`` after its [base] window, refused (exit 2)
    before any output folder is made."""
    spec = tmp_path / "sw.toml"
    spec.write_text('[sweep]\nname = "fz"\n\n[base]\nrun = { start = 2015-01-02, end = 2015-03-31 }\n' + rest)
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()
    return capsys.readouterr().err.splitlines()[-1]


def _fifo_with_a_writer(path) -> threading.Thread:
    """A FIFO whose writer (a thread) opens it, writes nothing and closes: a reader of it reads "" at once (the code
    before the fix then ran the default config, where it hung without a writer)."""
    os.mkfifo(path)

    def write() -> None:
        with open(path, "wb"):
            pass

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def _release(path, thread: threading.Thread) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # lets the writer's open return when nothing read the FIFO
    thread.join(5)
    os.close(fd)


@pytest.mark.parametrize("what", ["config file", "sweep spec"])
def test_m2_l7_a_config_file_or_spec_that_is_no_regular_file_is_refused_before_it_is_opened(tmp_path, what) -> None:
    """``vixhedge run /dev/zero`` read until MemoryError (6-10 s); a FIFO blocked; /dev/null ran the default config."""
    for path in ("/dev/null", "/dev/zero"):
        with pytest.raises(C.ConfigError) as err:
            read_toml(path, what)
        assert str(err.value) == f"{what} {path!r} is a character device, not a regular file: give a .toml file"
    fifo = tmp_path / "fifo"
    thread = _fifo_with_a_writer(fifo)
    try:
        with pytest.raises(C.ConfigError) as err:
            read_toml(fifo, what)
        assert str(err.value) == f"{what} {str(fifo)!r} is a FIFO (named pipe), not a regular file: give a .toml file"
    finally:
        _release(fifo, thread)
    with pytest.raises(C.ConfigError, match="is a folder, not a file: give a .toml file"):  # as before
        read_toml(tmp_path, what)
