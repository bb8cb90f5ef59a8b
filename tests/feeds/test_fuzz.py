"""Seeded fuzz: every registered loader (tests/feeds/fuzz_registry.py) x every corruption class.

Each variant writes a valid sample, corrupts it (seeded), loads it and asserts one of:
* a clear error: the loader's own error type, one line, naming the file;
* a load whose every kept value equals the pristine file's value for the same key (no silent wrong
  value), with every lost row reported as a bad row (no silent loss) -- except ``cut-at-line``,
  where the rows are simply fewer (the stated span is the data's own; ``data fetch`` refuses it).
Any other exception (a traceback) fails. ``python -m tests.feeds.test_fuzz`` prints the README table.
"""

from __future__ import annotations

import collections
import datetime as dt
import math
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tests.feeds.fuzz_registry import REGISTRY, LoaderCase

SEEDS = (0, 1)
FIXED = {"empty-file", "header-only", "lagged-a-day", "file-x10"}  # no random choice: one seed


def _data(lines: list[str], case: LoaderCase) -> range:
    return range(case.header_line + 1, len(lines))


def _cell(fn: Callable[[str], str]):
    def corrupt(lines, rng, case):
        i = int(rng.choice(_data(lines, case)))
        cells = lines[i].split(",")
        j = int(rng.choice(case.value_columns))
        cells[j] = fn(cells[j])
        lines[i] = ",".join(cells)
        return lines
    return corrupt


def _scale_rows(factor: float, whole: bool):
    def corrupt(lines, rng, case):
        rows = list(_data(lines, case)) if whole else [int(rng.choice(_data(lines, case)))]
        for i in rows:
            cells = lines[i].split(",")
            for j in case.value_columns:
                if cells[j].strip():
                    cells[j] = f"{float(cells[j]) * factor:.6g}"
            lines[i] = ",".join(cells)
        return lines
    return corrupt


def _date_of(case: LoaderCase, text: str) -> dt.date:
    if case.date_format == "%Y-%m-%d":
        return dt.date.fromisoformat(text)
    m, d, y = (int(x) for x in text.split("/"))
    return dt.date(y, m, d)


def _fmt(case: LoaderCase, d: dt.date) -> str:
    return d.isoformat() if case.date_format == "%Y-%m-%d" else (
        f"{d.month}/{d.day}/{d.year}" if "-" in case.date_format else f"{d:%m/%d/%Y}")


def _date(kind: str):
    def corrupt(lines, rng, case):
        i = int(rng.choice(_data(lines, case)))
        cells = lines[i].split(",")
        d = _date_of(case, cells[case.date_column])
        if kind == "bad":
            cells[case.date_column] = "2018-02-30" if case.date_format == "%Y-%m-%d" else "02/30/2018"
            lines[i] = ",".join(cells)
            return lines
        # a row on the Saturday of that week (not a session), its values copied, inserted in date order
        saturday = d + dt.timedelta(days=5 - d.weekday())
        cells[case.date_column] = _fmt(case, saturday)
        after = max(k for k in _data(lines, case)
                    if _date_of(case, lines[k].split(",")[case.date_column]) <= saturday)
        return lines[:after + 1] + [",".join(cells)] + lines[after + 1:]
    return corrupt


def _lag(lines, rng, case):
    body = list(_data(lines, case))
    values = [[lines[i].split(",")[j] for j in case.value_columns] for i in body]
    for k, i in enumerate(body):
        cells = lines[i].split(",")
        for j, v in zip(case.value_columns, values[max(k - 1, 0)]):
            cells[j] = v
        lines[i] = ",".join(cells)
    return lines


def _swap(lines, rng, case):
    i = int(rng.choice(_data(lines, case)[:-1]))
    lines[i], lines[i + 1] = lines[i + 1], lines[i]
    return lines


def _dup(lines, rng, case):
    i = int(rng.choice(_data(lines, case)))
    return lines[:i + 1] + [lines[i]] + lines[i + 1:]


def _drop_column(lines, rng, case):
    j = int(rng.choice(case.value_columns))
    return lines[:case.header_line] + [",".join(c for k, c in enumerate(line.split(",")) if k != j)
                                       for line in lines[case.header_line:]]


def _extra_field(lines, rng, case):
    i = int(rng.choice(_data(lines, case)))
    lines[i] += ",7,x"
    return lines


def _cut_mid_line(lines, rng, case):
    text = "\n".join(lines)
    last = text.rfind("\n")
    return text[: last + 1 + int(rng.integers(1, max(2, len(text) - last - 1)))].encode()


def _cut_at_line(lines, rng, case):
    keep = max(case.header_line + 2, len(lines) - int(rng.integers(1, 4)))
    return lines[:keep]


def _binary(lines, rng, case):
    data = bytearray(("\n".join(lines) + "\n").encode())
    for k in rng.integers(0, len(data) - 1, 3):
        data[int(k)] = 0xFF
    return bytes(data)


CORRUPTIONS: dict[str, Callable] = {
    "cut-mid-line": _cut_mid_line,
    "cut-at-line": _cut_at_line,
    "empty-cell": _cell(lambda v: ""),
    "text-in-number": _cell(lambda v: v + "x"),
    "nan": _cell(lambda v: "nan"),
    "inf": _cell(lambda v: "inf"),
    "1e12": _cell(lambda v: "1e12"),
    "negative": _cell(lambda v: "-" + v),
    "zero": _cell(lambda v: "0"),
    "row-x10": _scale_rows(10, whole=False),
    "row-x100": _scale_rows(100, whole=False),
    "row-div10": _scale_rows(0.1, whole=False),
    "file-x10": _scale_rows(10, whole=True),
    "lagged-a-day": _lag,
    "duplicate-row": _dup,
    "rows-swapped": _swap,
    "bad-date": _date("bad"),
    "non-session-date": _date("weekend"),
    "column-dropped": _drop_column,
    "extra-field": _extra_field,
    "binary-garbage": _binary,
    "empty-file": lambda lines, rng, case: b"",
    "header-only": lambda lines, rng, case: lines[: case.header_line + 1],
}
# Classes a loader cannot judge alone (no reference series in one file): the directory judges them.
# An option quote that stays inside its no-arbitrage bounds has no reference in the file (its IV column is
# not one: real snapshot IVs are off the quotes by up to x10,000): wrong-but-bounded quotes are not judged.
_QUOTE = {"chain-snapshot"}
NOT_ALONE = {"lagged-a-day": {"vx-cboe", "vx-cfe-2006", "vix-cboe", "spx-ohlc", "breadth", *_QUOTE},
             "file-x10": {"breadth", *_QUOTE}, "zero": _QUOTE, "row-x10": _QUOTE, "row-x100": _QUOTE,
             "row-div10": _QUOTE}


_PRISTINE: dict[str, tuple[Path, dict, int]] = {}


def pristine(case: LoaderCase, root: Path) -> tuple[Path, dict, int]:
    """Return (sample, its values, its bad-row count), made once per case under ``root``."""
    if case.name not in _PRISTINE:
        src = case.make(root / case.name)
        loaded = case.load(src)
        _PRISTINE[case.name] = (src, case.values(loaded), case.bad_rows(loaded))
    return _PRISTINE[case.name]


def outcome(case: LoaderCase, corruption: str, seed: int, tmp: Path, root: Path) -> str:
    """Run one variant; return 'error', 'bad rows', 'fewer rows' or 'unchanged' (raise AssertionError otherwise)."""
    src, truth, base_bad = pristine(case, root)
    work = tmp / "work"
    if src.is_dir():
        shutil.copytree(src, work)
        path, load_path = work / case.target, work
    else:
        work.mkdir()
        path = load_path = work / src.name
        shutil.copy(src, path)
    lines = path.read_text().splitlines()
    new = CORRUPTIONS[corruption](list(lines), np.random.default_rng(seed), case)
    path.write_bytes(new if isinstance(new, bytes) else ("\n".join(new) + "\n").encode())
    try:
        got = case.load(load_path)
    except case.errors as exc:
        msg = str(exc)
        assert "\n" not in msg and (path.name in msg or str(load_path) in msg), msg
        return "error"
    values = case.values(got)
    wrong = {k: (v, truth.get(k)) for k, v in values.items()
             if k not in truth or not math.isclose(v, truth[k], rel_tol=1e-9, abs_tol=1e-9)}
    assert not wrong, f"{case.name} x {corruption} (seed {seed}): silent wrong values {list(wrong.items())[:3]}"
    lost = len(set(truth) - set(values))
    bad = case.bad_rows(got) - base_bad
    if lost and corruption != "cut-at-line":
        assert bad > 0, f"{case.name} x {corruption} (seed {seed}): {lost} value(s) lost without a bad row"
    return "bad rows" if bad > 0 else "fewer rows" if lost else "unchanged"


VARIANTS = [(c, k, s) for c in REGISTRY for k in CORRUPTIONS
            for s in (SEEDS[:1] if c == "directory" or k in FIXED else SEEDS) if c not in NOT_ALONE.get(k, ())]


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> Path:
    _PRISTINE.clear()
    return tmp_path_factory.mktemp("pristine")


@pytest.mark.parametrize("case, corruption, seed", VARIANTS, ids=[f"{c}-{k}-{s}" for c, k, s in VARIANTS])
def test_fuzz(case: str, corruption: str, seed: int, tmp_path: Path, samples: Path) -> None:
    assert outcome(REGISTRY[case], corruption, seed, tmp_path, samples) in ("error", "bad rows", "fewer rows",
                                                                            "unchanged")


@pytest.mark.parametrize("case", list(REGISTRY))
def test_a_weekend_row_in_date_order_is_a_bad_row(case: str, tmp_path: Path, samples: Path) -> None:
    """README fuzz table, row non-session-date: B for every loader (a Saturday row that keeps the date order)."""
    assert outcome(REGISTRY[case], "non-session-date", 0, tmp_path, samples) == "bad rows"


def table() -> str:  # pragma: no cover - prints the README table
    import tempfile

    cells: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    with tempfile.TemporaryDirectory() as root:
        for c, k, s in VARIANTS:
            with tempfile.TemporaryDirectory() as tmp:
                cells[(c, k)][outcome(REGISTRY[c], k, s, Path(tmp), Path(root))] += 1
    names = list(REGISTRY)
    out = ["| corruption | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    short = {"error": "E", "bad rows": "B", "fewer rows": "F", "unchanged": "U"}
    for k in CORRUPTIONS:
        row = [("/".join(short[o] for o in sorted(cells[(c, k)], key=list(short).index)) or "n/a") for c in names]
        out.append(f"| {k} | " + " | ".join(row) + " |")
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    from vixhedge.guard import Parser

    Parser(prog="python -m tests.feeds.test_fuzz", description=__doc__.split("\n\n")[0] + " Prints the README "
           f"table: {len(VARIANTS)} seeded variants, each cell the outcomes of a loader x corruption (E error, "
           "B bad rows, F fewer rows, U unchanged). The same variants run under pytest as test_fuzz.").parse_args()
    sys.exit(print(table()))
