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
