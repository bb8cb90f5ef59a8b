"""A file a config key names that does not exist: one line naming the key, its value as given (quoted, blank
included) and the fix (finding L10 of the fuzz trial, session 9: `calendar_csv = "x"` named neither key nor
value; `ad_csv = " "` printed an empty path). The values "x" and " " are the trial's repros
(/work/fuzz/cfgs/p3_fomc_csv_missing.toml, p3_ad_csv_missing.toml; fuzz trial, session 9)."""

from __future__ import annotations

import os

import pytest

from vixhedge import api

WINDOW = {"start": "2015-06-01", "end": "2015-09-30"}  # fuzz trial, session 9: the repros' window
# what "" means (review, session 9: with a data directory "" reads its calendar folder, strategies/signalset.py)
CALENDAR_BLANK = "a data directory's calendar folder, else the packaged 2000-2026 schedule"


@pytest.mark.parametrize("key, value, what, blank", [
    ("calendar_csv", "x", "FOMC calendar", CALENDAR_BLANK),
    ("calendar_csv", " ", "FOMC calendar", CALENDAR_BLANK),
    ("ad_csv", "x", "advance/decline", "a data directory's breadth file, else no A/D line"),
    ("ad_csv", " ", "advance/decline", "a data directory's breadth file, else no A/D line"),
], ids=["calendar-x", "calendar-blank", "ad-x", "ad-blank"])
def test_a_missing_file_names_its_key_value_and_fix(tmp_path, monkeypatch, key, value, what, blank):
    monkeypatch.chdir(tmp_path)
    cfg = api.replace_config(api.load_default_config(), run=WINDOW, hedge={"fomc": {key: value}})
    with pytest.raises(api.DataError) as err:
        api.run_backtest(cfg)
    line = str(err.value)
    assert line == (f'{what} file does not exist: hedge.fomc.{key} = "{value}" (taken relative to the current '
                    f'directory: {os.path.join(str(tmp_path), value)}): check the path, or set hedge.fomc.{key} = "" '
                    f"({blank})")
