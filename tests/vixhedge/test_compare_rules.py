"""What a compare's variants did to the rules (vixhedge.compare_rules; trial RS38 H1: an ablation read "no_condor_cut:
CVaR worse" of a variant whose condor cut still acted on 40 of 40 bars, and nothing said which rules a switch took
with it). Rule switches are strategies.rulesoff's; bars are metrics.json rules_fired."""

from __future__ import annotations

import json
from types import SimpleNamespace

from vixhedge.compare_rules import rule_changes
from vixhedge.compare_variants import variant_config
from vixhedge.core import config as C


def run(keys: dict, fired: dict) -> SimpleNamespace:
    cfg = variant_config(C.load_default(), "v", keys)
    return SimpleNamespace(config=cfg, metrics={"rules_fired": fired, "policy_notes": []})


def test_a_rule_switched_off_that_still_acts_or_never_acted_is_named() -> None:
    """condor_cut = 0 with the default condor_scale = 1 switches condor_vega_cut off (rulesoff, its words); bars
    40 -> 3 is a switch that did not take (still acting), 0 -> 0 one that tests nothing; review 10 -> 12 is another
    rule's change; a rule idle in both whose keys the variant did not change (fomc_cadence without an A/D file) is
    not named."""
    ref = run({}, {"condor_vega_cut": 40, "review": 10, "cross_up": 5})
    c = rule_changes(ref, run({"hedge.divergence.condor_cut": 0}, {"condor_vega_cut": 3, "review": 12, "cross_up": 5}))
    assert c == {"off": {"condor_vega_cut": [[40, 3], "hedge.divergence.condor_cut = 0 and condor_scale = 1"]},
                 "on": {}, "still_acts": ["condor_vega_cut"], "never_acted": [], "keyed": {}, "keyed_idle": {},
                 "changed": {"review": [10, 12]}}
    c = rule_changes(run({}, {}), run({"hedge.divergence.condor_cut": 0}, {}))
    assert c["off"]["condor_vega_cut"][0] == [0, 0] and c["never_acted"] == ["condor_vega_cut"]


def test_a_rule_whose_keys_changed_but_still_acts_is_named_with_its_keys() -> None:
    """Trial VIS36 H1: under steward (condor_scale = 0.5) divergence.condor_cut = 0 leaves condor_vega_cut acting
    (rulesoff: off only with condor_cut 0 and condor_scale 1), 40 -> 40 bars, and the line said "switches off no
    rule". The rule's own keys (RULE_KEYS) that changed are named, with the bars; fomc.enabled = false on a rule
    idle already (fomc_cadence without an A/D file) names why it was idle in the reference."""
    from vixhedge.compare_rules import RULE_KEYS

    half = {"hedge.divergence.condor_scale": 0.5}
    c = rule_changes(run(half, {"condor_vega_cut": 40}),
                     run({**half, "hedge.divergence.condor_cut": 0}, {"condor_vega_cut": 40}))
    assert c["off"] == {} and c["keyed"] == {"condor_vega_cut": [[40, 40], ["hedge.divergence.condor_cut 0.5 -> 0.0"]]}
    ref = run({}, {})
    ref.metrics["policy_notes"] = ["hedge.fomc: no S&P 500 advance/decline input"]
    c = rule_changes(ref, run({"hedge.fomc.enabled": False}, {}))
    assert c["keyed_idle"]["fomc_cadence"][0] == ["hedge.fomc.enabled true -> false"]
    # every rule id has its keys, and each key is one of [hedge]'s (a sub-table for all of its own)
    import functools

    from strategies.book import RULE_IDS

    hedge = C.load_default().hedge
    assert set(RULE_KEYS) == set(RULE_IDS)
    for keys in RULE_KEYS.values():
        for key in keys:
            functools.reduce(getattr, key.split("."), hedge)  # (an AttributeError names a key that is not one)


def test_compare_says_what_each_variant_switched_on_the_console_page_and_json(tmp_path, capsys) -> None:
    """The embedded default (2014-2018), alvh against two variants: condor_cut = 0 switches condor_vega_cut off (20
    bars in alvh, measured by this command); fomc.require_ad = false switches no rule off (ad_filter was idle already:
    no A/D file) and two on, fomc_cadence 0 -> 17 and event_window 0 -> 21 (rulesoff: the window rules need the A/D
    line unless require_ad is false)."""
    from vixhedge.cli import main

    assert main(["compare", "--modes", "alvh", "--baseline", "alvh", "--variant", "no_cut",
                 "hedge.divergence.condor_cut=0", "--variant", "no_ad", "hedge.fomc.require_ad=false", "--n-boot",
                 "100", "--runs-dir", str(tmp_path), "-q"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert ("rules, no_cut vs alvh (bars each acted, alvh -> no_cut): switches off condor_vega_cut 20 -> 0 "
            "(hedge.divergence.condor_cut = 0 and condor_scale = 1)") in out
    no_ad = next(ln for ln in out if ln.startswith("rules, no_ad vs alvh"))
    ad = "needs an A/D file: hedge.fomc.ad_csv (or hedge.fomc.require_ad = false)"
    assert no_ad.startswith(f"rules, no_ad vs alvh (bars each acted, alvh -> no_ad): switches off no rule; switches on "
                            f"fomc_cadence 0 -> 17 (idle in alvh: {ad}); event_window 0 -> 21 (idle in alvh: {ad}); "
                            "changes ad_filter's keys (hedge.fomc.require_ad true -> false), idle in alvh already")
    (folder,) = tmp_path.iterdir()
    rules = json.loads((folder / "comparison.json").read_text())["variant_rules"]
    assert rules["no_cut"]["off"]["condor_vega_cut"][0] == [20, 0]
    assert rules["no_ad"]["on"]["event_window"][0] == [0, 21]
    page = (folder / "report.html").read_text()
    assert ("<li>no_cut vs alvh (bars each acted, alvh -&gt; no_cut): switches off condor_vega_cut 20 -&gt; 0 "
            "(hedge.divergence.condor_cut = 0 and condor_scale = 1)</li>") in page


def test_a_note_every_variant_repeats_is_printed_once_and_who_else_said_it(tmp_path, capsys) -> None:
    """Trial RS38 L3: a 13-mode compare wrote 63 note lines on stderr, 56 of them one note per mode (the missing A/D
    line's, as every alvh variant logs it). The same text is printed for the first mode, then one line names the
    others (progress.OnceAcrossRuns); a note whose text differs (another count) is printed as it is."""
    from vixhedge.cli import main

    assert main(["compare", "--modes", "alvh", "--baseline", "alvh", "--variant", "no_cut",
                 "hedge.divergence.condor_cut=0", "--variant", "no_ad", "hedge.fomc.require_ad=false", "--n-boot",
                 "100", "--runs-dir", str(tmp_path)]) == 0
    err = capsys.readouterr().err.splitlines()
    ad = [ln for ln in err if "hedge.fomc: no S&P 500 advance/decline input" in ln]
    assert len(ad) == 2 and ad[0].startswith("vixhedge [alvh]: hedge.fomc: no S&P 500")
    assert ad[1].startswith("vixhedge [no_cut]: the same note as [alvh]'s above (hedge.fomc: no S&P 500")
