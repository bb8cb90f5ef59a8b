"""A compare's variant picked by a search (trial RS39 H1, 2026-12-07): ``--variant NAME sweep=FOLDER`` runs a sweep's
best point and says, in a caveat line, that its intervals count none of the search; other variants are said to be
tested as chosen in advance. Before, a compare of a sweep's pick (written out key by key) read "1 difference holds:
picked_cvar CVaR 95% better (Holm p 0.015)" with nothing linking it to the 648 points it was the best of."""

from __future__ import annotations

import json

import pytest

from tests.vixhedge.sweep_cases import write_spec
from vixhedge.compare import MODE_NAMES
from vixhedge.compare_search import search_caveats, search_words
from vixhedge.compare_variants import checked_variants, from_record, variant_flags, variants_record
from vixhedge.core import config as C


@pytest.fixture(scope="module")
def sweep_folder(tmp_path_factory):
    """A real split sweep on the embedded market (tests/vixhedge/sweep_cases.py: MACD fast 8 / 12 / 26 x slow 20 /
    26 over 2016-01-04..04-29, in sample to 2016-02-29), run by the command, with a base config whose hedge sizing
    (vega_ratio) is not the default's (contracts)."""
    from vixhedge.cli import main

    tmp = tmp_path_factory.mktemp("sweep")
    spec = write_spec(tmp)
    spec.write_text(spec.read_text().replace("[base]\n", '[base]\nhedge = { sizing = "vega_ratio" }\n'))
    assert main(["sweep", str(spec), "--out", str(tmp / "sw"), "--workers", "1", "-q"]) == 0
    return tmp / "sw"


def test_sweep_expands_to_the_base_keys_the_best_point_and_the_search_in_words(sweep_folder):
    """The variant is the sweep's base where it differs from the comparison's config (hedge.sizing), the best point's
    keys (summary.json best: its two grid keys), ``searched``, then the variant's own keys, which win."""
    s = json.loads((sweep_folder / "summary.json").read_text())
    best = {k: v for k, v in s["best"].items() if k in ("hedge.macd.fast", "hedge.macd.slow")}
    v = checked_variants({"pick": {"sweep": str(sweep_folder), "hedge.max_layers": 3}}, MODE_NAMES, C.load_default())
    keys = v["pick"]
    assert {k: keys[k] for k in ("hedge.sizing", "hedge.macd.fast", "hedge.macd.slow", "hedge.max_layers")} == \
        {"hedge.sizing": "vega_ratio", **best, "hedge.max_layers": 3}
    assert "sweep" not in keys and keys["searched"] == search_words(s, sweep_folder)
    points = s["points"]
    assert keys["searched"].startswith(f"the best of {points} points of the sweep {sweep_folder} by Sharpe, ranked "
                                       "on 2016-01-04..2016-02-29; out of sample, after 2016-02-29 to 2016-04-29, it "
                                       f"ranked {s['out_of_sample_rank']['test_rank']} of {points}")
    # the record and the Reproduce flags give the same variant again (the words as text, not a config key)
    assert from_record(variants_record(v)) == v
    assert "'searched=the best of" in variant_flags(v)


@pytest.mark.parametrize("files, words", [
    (None, "is not a folder"),
    ({"walkforward.json": "{}"}, "is a walk-forward"),
    ({}, "has no summary.json"),
    ({"summary.json": "{"}, "is unreadable"),
    ({"summary.json": "{}"}, "names no best point"),
], ids=["missing", "walk-forward", "no-summary", "damaged", "no-best"])
def test_a_folder_that_is_no_finished_sweep_is_one_line_naming_the_variant(tmp_path, files, words):
    folder = tmp_path / "sw"
    if files is not None:
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text)
    with pytest.raises(C.ConfigError, match=f"variant p: sweep = .* {words}"):
        checked_variants({"p": {"sweep": str(folder)}}, MODE_NAMES, C.load_default())


def test_the_caveat_says_the_search_and_whether_the_window_overlaps_the_days_it_was_ranked_on():
    """The words of RS39's pick (its summary.json: the best of 648 points by CVaR 95%, ranked on 2008-01-02..
    2018-12-31); a compare on 2019-2024 is outside those days (out of sample: its intervals test the one point, trial
    VIS38 M2: it read "the best of many tried" there too), one on 2015-2020 overlaps them (2015..2018), one on
    2010-2011 lies wholly inside them (VIS38 M1: "partly in sample" before); a plain variant is said to be tested as
    chosen in advance; --windows' line counts its windows by where they lie (VIS38 M4) and has no Holm."""
    from vixhedge.compare_search import FAIR

    text = "the best of 648 points of the sweep sw by CVaR 95%, ranked on 2008-01-02..2018-12-31"
    variants = {"pick": {"hedge.review_bars": 5, "searched": text}, "nocut": {"hedge.divergence.condor_cut": 0.0}}
    out = search_caveats(variants, "2019-01-02", "2024-12-31")
    best_of = ("Its intervals count none of that search: a difference of its that holds here, after Holm's too, is "
               "the best of many tried, not a test fixed in advance")
    assert out[0] == (f"CI caveat: pick was picked by a search: {text}. This window, 2019-01-02..2024-12-31, is "
                      "outside the days it was ranked on: its figures here are out of sample. Its intervals test the "
                      "one point the search chose, as one fixed in advance, provided nothing seen on those days "
                      "guided the choice (a pick made again after reading the sweep's out-of-sample figures is in "
                      "sample there too)")
    assert search_caveats(variants, "2015-01-02", "2020-12-31")[0] == (
        f"CI caveat: pick was picked by a search: {text}. This window, 2015-01-02..2020-12-31, overlaps the days it "
        f"was ranked on (2015-01-02..2018-12-31): its figures here are partly in sample. {best_of}")
    assert search_caveats(variants, "2010-01-04", "2011-12-30")[0] == (
        f"CI caveat: pick was picked by a search: {text}. This window, 2010-01-04..2011-12-30, lies wholly inside "
        f"the days it was ranked on: its figures here are in sample. {best_of}")
    assert out[1].startswith("CI caveat: nocut: a variant is tested as if chosen before any result was seen") and \
        "--variant NAME sweep=FOLDER" in out[1]
    wins = [("2006-01-03", "2007-12-31"), ("2010-01-04", "2011-12-30"), ("2018-01-02", "2019-12-31"),
            ("2020-01-02", "2021-12-31"), ("2022-01-03", "2023-12-29")]  # (before, inside, across, after, after)
    assert search_caveats(variants, "2006-01-03", "2023-12-29", wins)[0] == (
        f"CI caveat: pick was picked by a search: {text}. Of the 5 windows: wholly inside the days it was ranked on "
        "(in sample) 1, overlapping them 1, outside them (out of sample) 3. Its intervals count none of that search: "
        "a CI of its that excludes 0 in a window that meets those days is the best of many tried, not a test fixed "
        f"in advance; in the windows outside them, {FAIR}")
    assert "Holm" not in search_caveats(variants, "2006-01-03", "2023-12-29", wins)[0]
    assert search_caveats({}, "2019-01-02", "2024-12-31") == []


def test_a_compare_of_a_sweep_s_pick_says_the_search_in_its_caveats(sweep_folder, tmp_path, capsys):
    """The command on the sweep's own window: the pick runs the best point (its config's MACD keys), and the console
    and comparison.json say the search, overlapping the days it was ranked on."""
    from vixhedge.cli import main

    s = json.loads((sweep_folder / "summary.json").read_text())
    assert main(["compare", "--start", "2016-01-04", "--end", "2016-04-29", "--modes", "none,alvh", "--variant",
                 "pick", f"sweep={sweep_folder}", "--n-boot", "200", "--runs-dir", str(tmp_path), "-q"]) == 0
    out = capsys.readouterr().out
    assert "CI caveat: pick was picked by a search: the best of" in out
    assert "This window, 2016-01-04..2016-04-29, overlaps the days it was ranked on" in out
    folder = next(tmp_path.glob("*-compare-*"))
    record = json.loads((folder / "comparison.json").read_text())
    assert record["variants"]["pick"]["hedge.macd.fast"] == str(s["best"]["hedge.macd.fast"])
    assert any(c.startswith("CI caveat: pick was picked by a search") for c in record["paired_caveats"])
