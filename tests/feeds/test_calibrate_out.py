"""Where `python -m feeds.calibrate` writes (cleanup 2026-12-04, task 4): it rewrote the package's shipped
feeds/calibration files by default, so a run on another data folder silently changed the packaged defaults' source.
Now runs/calibration/ under the current folder (or --out DIR); the package's files only with --write-package."""

from __future__ import annotations

from pathlib import Path

import pytest

import feeds.calibrate as cal
from vixhedge.atomic import FolderError

FILES = ("vx_curve.json", "spx_smile.json", "spreads.json", "market.toml")


def test_the_default_out_is_a_user_folder_and_the_package_needs_the_flag() -> None:
    assert cal.out_dir(cal.parser().parse_args([])) == Path("runs") / "calibration" != cal.PACKAGE_OUT
    assert cal.out_dir(cal.parser().parse_args(["--out", "mine"])) == Path("mine")
    assert cal.out_dir(cal.parser().parse_args(["--write-package"])) == cal.PACKAGE_OUT
    assert cal.PACKAGE_OUT == Path(cal.__file__).resolve().parent / "calibration"


def test_out_and_write_package_together_is_one_usage_line(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exc:
        cal.parser().parse_args(["--out", "mine", "--write-package"])
    err = capsys.readouterr().err.strip()
    assert exc.value.code == 2 and len(err.splitlines()) == 1
    assert "--write-package: not allowed with argument --out" in err


@pytest.fixture
def fits(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """main() with the fits stubbed (they read the real data for a minute): what it writes is all that is tested."""
    calls: list[Path] = []

    def calibrate(data_dir, printed_only=None):
        calls.append(data_dir)
        return {"fit": "curve"}, {"fit": "smile"}, {"fit": "spreads"}

    monkeypatch.setattr(cal, "calibrate", calibrate)
    monkeypatch.setattr(cal, "market_toml", lambda curve, smile, spreads: "# stub\n")
    monkeypatch.setattr(cal, "_print", lambda *a: None)
    monkeypatch.setattr(cal.spreadfit, "print_spreads", lambda spreads: None)
    monkeypatch.setattr(cal.rates, "find_rate_file", lambda data_dir: None)
    return calls


def test_main_writes_under_the_current_folder_and_leaves_the_package_alone(
        fits: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    shipped = {name: (cal.PACKAGE_OUT / name).read_bytes() for name in FILES}
    monkeypatch.chdir(tmp_path)
    assert cal.main(["--data-dir", str(tmp_path)]) == 0
    out = tmp_path / "runs" / "calibration"
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert (out / "vx_curve.json").read_text(encoding="utf-8") == '{\n "fit": "curve"\n}\n'
    assert f"in {Path('runs') / 'calibration'}" in capsys.readouterr().err
    assert {name: (cal.PACKAGE_OUT / name).read_bytes() for name in FILES} == shipped


def test_an_unwritable_out_is_refused_before_the_fits(fits: list[Path], tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(FolderError, match=r"--out '.*file/cal' is not a folder \(.*file is a file\): choose"):
        cal.main(["--data-dir", str(tmp_path), "--out", str(tmp_path / "file" / "cal")])
    assert fits == []  # refused before a minute of fitting
