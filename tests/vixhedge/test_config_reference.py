"""README.md's "Config reference" names every key of the config with the code's default (a fresh-user trial found
`[execution]`, `hedge.instrument`, `run.seed`, `[market.synthetic]` ... documented nowhere a user looks).

The expected values are the config classes themselves (vixhedge/core/config/), walked here independently of the
generator (vixhedge/core/config/reference.py).
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path
from typing import get_type_hints

import pytest

from vixhedge.core import config as C
from vixhedge.core.config import reference

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def all_keys(cls: type = C.Config, prefix: str = "") -> set[str]:
    """Every dotted key a config file can set (a table's keys, not the table itself)."""
    out: set[str] = set()
    for key, typ in get_type_hints(cls).items():
        out |= all_keys(typ, f"{prefix}{key}.") if dataclasses.is_dataclass(typ) else {prefix + key}
    return out


def reference_section() -> str:
    head, found, rest = README.partition("\n## Config reference\n")
    assert found, "README.md has no '## Config reference' section"
    return rest.split("\n## ", 1)[0]


def documented_keys(section: str) -> set[str]:
    """Dotted keys named in the first cell of the rows under each ``**`[table]`**`` heading."""
    keys: set[str] = set()
    table = None
    for line in section.splitlines():
        if m := re.match(r"\*\*`\[([a-z_.]+)\]`\*\*", line):
            table = m.group(1)
        elif line.startswith("| `") and table:
            first_cell = line.split(" | ", 1)[0]
            keys |= {f"{table}.{name}" for name in re.findall(r"`([a-z_0-9]+)`", first_cell)}
    return keys


def test_readme_config_reference_names_every_key():
    expected = all_keys()
    # the config's keys on 2026-12-05 (run 5, market 62, execution 6, condor 24, ...; market.vix_smile.atm_per_vvix
    # added; hedge.placement.restrike_min_points, session 21)
    assert len(expected) == 195
    documented = documented_keys(reference_section())
    assert sorted(expected - documented) == [], "keys missing from README 'Config reference'"
    assert sorted(documented - expected) == [], "README 'Config reference' names keys the config does not have"
    for key in ("execution.fill", "execution.slippage_fraction", "hedge.instrument", "hedge.spread_long_otm",
                "hedge.spread_width_points", "hedge.vxth.min_sessions", "run.initial_cash_usd", "run.seed",
                "hedge.fomc.ad_advances_column", "hedge.fomc.ad_declines_column", "market.synthetic.shocks",
                "market.spreads.vx_future", "market.vx_curve.model", "market.spx_smile.skew_by_year"):
        assert key in documented  # the keys the trial found undocumented


def test_readme_config_reference_equals_the_generated_tables():
    """The tables hold the code's defaults: `python -m vixhedge.core.config.reference --write README.md` refreshes."""
    begin, end = README.index(reference.BEGIN), README.index(reference.END) + len(reference.END)
    assert README[begin:end] == reference.markdown()
    assert begin > README.index("\n## Config reference\n")


def test_generated_rows_carry_the_code_defaults():
    text = reference.markdown()
    # ExecutionConfig's defaults (vixhedge/core/config/book.py): fill bid_ask, slippage 0.5, fees 1.10 / 1.10 / 2.25
    assert '| `fill` | `"bid_ask"` | `bid_ask` / `mid` / `slippage` |' in text
    assert "| `slippage_fraction` | `0.5` |" in text
    assert "| `fee_vx_future_usd` | `2.25` |" in text
    # HedgeConfig.instrument (vixhedge/core/config/hedge.py)
    assert '| `instrument` | `"vx_future"` | `vx_future` / `vix_call_spread` / `vix_call` |' in text
    # HedgeConfig caps: inf = no cap (base.UNBOUNDED_OK)
    assert "| `max_notional_usd` | `inf` | number or inf |" in text


def test_a_key_without_a_meaning_is_refused(monkeypatch):
    monkeypatch.delitem(reference.MEANING, "execution.fill")
    with pytest.raises(ValueError, match=r"execution.fill has no line in vixhedge.core.config.meanings.MEANING"):
        reference.markdown()


def test_write_refreshes_only_the_generated_block(tmp_path):
    path = tmp_path / "README.md"
    path.write_text(f"# x\n\n{reference.BEGIN}\nstale\n{reference.END}\n\n## next\n", encoding="utf-8")
    reference.write(path)
    assert path.read_text(encoding="utf-8") == f"# x\n\n{reference.markdown()}\n\n## next\n"


def test_readme_names_the_fees():
    """The model section's sentence on fills names the default fees per contract (it said only 'fees per contract')."""
    e = C.ExecutionConfig()
    sentence = (f"fees per contract of ${e.fee_spx_option_usd:.2f} per SPX option, ${e.fee_vix_option_usd:.2f} per "
                f"VIX option\n  and ${e.fee_vx_future_usd:.2f} per VX future")
    assert sentence in README


def test_default_toml_states_the_code_defaults_with_an_execution_table():
    assert C.load_default() == C.Config()
    table = tomllib.loads(C.default_path().read_text(encoding="utf-8"))
    assert C.from_dict({"execution": table["execution"]}).execution == C.ExecutionConfig()
    assert set(table["execution"]) == {f.name for f in dataclasses.fields(C.ExecutionConfig)}


def test_the_generators_command_line_errors_are_one_line(tmp_path, capsys) -> None:
    """A missing file or a folder for --write was a traceback, --bogus printed only a usage line with exit 1."""
    from vixhedge.core.config.reference import PROG, main

    other, binary = tmp_path / "notes.md", tmp_path / "x.bin"
    other.write_text("# notes\n")
    binary.write_bytes(b"\xff\xfe\x00")
    for argv, says in ((["--bogus"], "error: unrecognized arguments: --bogus"),
                       (["--write"], "argument --write: expected one argument"),
                       (["--write", ""], "--write needs one"), (["--write", str(tmp_path / "no.md")],
                                                               "No such file or directory: give the README file"),
                       (["--write", str(tmp_path)], "Is a directory: give the README file"),
                       # trial B: a file without the markers exited 1 without the program's name
                       (["--write", str(other)], f"{PROG}: {other}: no config-reference markers found"),
                       (["--write", str(binary)], f"{PROG}: {binary} is not UTF-8 text: give the README file")):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and says in err, (argv, err)
    assert main(["--help"]) == 0 and "--write README.md" in capsys.readouterr().out


def test_the_generators_help_is_plain_text_from_argparse(capsys) -> None:
    # audit (2026-12-04, finding 7): --help printed the module docstring's first line with its raw ":class:`Config`"
    # markup, from a hand-written argv parser; now argparse with a description, as the other commands
    from vixhedge.core.config.reference import PROG, main, parser

    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: {PROG} [-h] [--write README.md]\n") and "every key of the config" in out
    assert ":class:" not in out and "`" not in out and "--write README.md" in out
    assert parser().parse_args(["--write", "README.md"]).write == "README.md"
    assert parser().parse_args([]).write is None
