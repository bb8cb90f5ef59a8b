"""vixhedge.sweep_paths' path counts and a failed point's error line (MUT26 SP4, SP11)."""

from __future__ import annotations

from pathlib import Path

from vixhedge.sweep_paths import ERROR, PATH_RECORDS, _guarded, count_paths


def test_the_event_paths_reasons_are_counted_most_first_then_by_name(tmp_path: Path) -> None:
    """MUT26 SP4 (reasons by count ascending): paths.json's ``event_reasons`` lists the reasons as the project lists
    every count of kinds (feeds.checklines.bad_lines: the largest first), ties by name. By hand: 3 points for "b", 1
    each for "a" and "c", 2 on the kernel, 1 point with no record (unrecorded)."""
    records = [("p1", "event", "b"), ("p2", "event", "c"), ("p3", "kernel", ""), ("p4", "event", "b"),
               ("p5", "event", "a"), ("p6", "kernel", ""), ("p7", "event", "b")]
    (tmp_path / PATH_RECORDS).write_text("point,path,reason\n" + "".join(f"{k},{p},{r}\n" for k, p, r in records))
    out = count_paths(tmp_path, [k for k, _, _ in records] + ["p8"])
    assert out == {"kernel": 2, "event": 5, "event_reasons": {"b": 3, "a": 1, "c": 1}, "unrecorded": 1}
    assert list(out["event_reasons"]) == ["b", "a", "c"]


def test_a_failed_points_error_is_its_first_line(monkeypatch) -> None:
    """MUT26 SP11 (the whole multi-line message kept): a failed point's row carries one line, its type and the first
    line of its message (README, sweep retries: failed.csv "with its error", and "one WARNING line on stderr quoting
    the first failure's error")."""
    from types import SimpleNamespace

    from vixhedge import sweep_metrics

    def run_point(*_a, **_k):
        raise ValueError("the first line\nthe second line")

    monkeypatch.setattr(sweep_metrics, "run_point", run_point)
    point = SimpleNamespace(key="abc", params={"hedge.x": 1}, config=None)
    assert _guarded(point, None, None, "fast") == {"point": "abc", "params": {"hedge.x": 1},
                                                   ERROR: "ValueError: the first line"}


SPEC = """
[sweep]
name = "paths"
workers = 1
batch_size = 1

[base]
run = { start = 2016-01-04, end = 2016-04-29 }

[grid]
"hedge.macd.fast" = [8, 12]
"""


def _interrupted(tmp_path: Path, kernel: str):
    """A sweep of SPEC run with ``kernel`` (no summary: no output_files.json) and cut back to its first point, as an
    interrupt leaves it, and its spec."""
    import dataclasses

    from feeds.market import build_market
    from vixhedge import sweep as sw
    from vixhedge.core import config as C

    tmp_path.mkdir()
    (tmp_path / "spec.toml").write_text(SPEC)
    spec, market, out = sw.load_spec(tmp_path / "spec.toml"), build_market(C.MarketConfig()), tmp_path / "out"
    sw.run_sweep(dataclasses.replace(spec, kernel=kernel), out, market, progress=False)
    finished = {n: (out / n).read_bytes() for n in ("results.csv", "returns.bin", "paths.csv")}
    (out / "results.csv").write_bytes(b"".join(finished["results.csv"].splitlines(keepends=True)[:2]))
    return spec, market, out, finished


def test_a_resume_on_the_other_path_is_refused_and_one_on_the_same_path_is_taken(tmp_path: Path) -> None:
    """Trial DET32 M5: a sweep interrupted under ``kernel = "off"`` and resumed with ``--kernel auto`` ran 9 points on
    the kernel and 3 on the event path; the paths' daily returns differ in the last bit (2-4 of 85 days by 2.2e-16),
    so its returns.bin matched neither clean sweep. Refused now, in one line naming both and the fix, nothing
    changed; the same path resumes, and a finished folder (nothing left to run: a re-rank) is taken on either."""
    import dataclasses

    import pytest

    from vixhedge import sweep as sw
    from vixhedge.core.config import ConfigError

    for first, then in (("off", "auto"), ("auto", "off")):
        spec, market, out, finished = _interrupted(tmp_path / first, first)
        cut = {n: (out / n).read_bytes() for n in ("results.csv", "returns.bin", "paths.csv", "spec.json")}
        with pytest.raises(ConfigError) as refused:
            sw.run_sweep(dataclasses.replace(spec, kernel=then), out, market, progress=False)
        text = str(refused.value)
        assert "\n" not in text and f"resume with --kernel {first}," in text and f"with --kernel {then}" in text
        assert ("on the event path (sweep.kernel = 'off')" if first == "off" else "on the kernel") in text, text
        assert {n: (out / n).read_bytes() for n in cut} == cut  # (refused before the claim: nothing changed)
        sw.run_sweep(dataclasses.replace(spec, kernel=first), out, market, progress=False)
        assert (out / "results.csv").read_bytes() == finished["results.csv"]
        assert (out / "returns.bin").read_bytes() == finished["returns.bin"]
        sw.run_sweep(dataclasses.replace(spec, kernel=then), out, market, progress=False)  # finished: nothing runs
        assert (out / "returns.bin").read_bytes() == finished["returns.bin"]
