"""The small sweep spec several sweep tests run: three MACD fast periods x two slow ones over 2016-01..04 on the
embedded market, split in and out of sample at 2016-02-29 (``write_spec``; ``fast`` replaces the first axis)."""

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
