"""The small sweep specs the sweep tests write: three MACD fast periods x two slow ones over 2016-01..04 on the
embedded market, split in and out of sample at 2016-02-29 (``write_spec``; ``fast`` replaces the first axis), and
any grid over 2016-06..12 (``write_grid_spec``, the command-line tests')."""

from pathlib import Path

SPEC = """
[sweep]
name = "t"
batch_size = 1
in_sample_end = 2016-02-29

[base]
run = {{ start = 2016-01-04, end = 2016-04-29 }}

[grid]
"hedge.macd.fast" = {fast}
"hedge.macd.slow" = [20, 26]
"""


def write_spec(tmp_path, fast="[8, 12, 26]"):
    p = tmp_path / "spec.toml"
    p.write_text(SPEC.format(fast=fast))
    return p


GRID_SPEC = """
[sweep]
name = "{name}"
{extra}
[base]
run = {{ start = {start}, end = {end} }}

[grid]
{grid}
"""


def write_grid_spec(tmp_path: Path, grid: str, extra: str = "", name: str = "t", start: str = "2016-06-01",
                    end: str = "2016-12-30") -> Path:
    p = tmp_path / f"{name}.toml"
    p.write_text(GRID_SPEC.format(name=name, extra=extra, start=start, end=end, grid=grid))
    return p
