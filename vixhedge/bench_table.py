"""The benchmark's report as text (:mod:`vixhedge.bench`): its targets and the README-ready markdown table."""

from __future__ import annotations

TARGETS = {"run_cold_cpu_s": "< 2.0 s CPU", "help_cold_s": "< 0.5 s", "replay_5y_warm_fast_s": "< 0.25 s",
           "kernel_over_event": ">= 100x", "sweep_over_optstrategy": ">= 1,000x", "big_sweep_cli_s": "< 30 s",
           "dask_over_local": "<= 1.15", "memory_curve": "flat in sweep size (10,000 points < 1 GB)"}


def cell(value) -> str:
    if isinstance(value, dict) and "median" in value:
        return f"{value['median']:g}x (min {value['min']:g}x)" if value else "n/a"
    if isinstance(value, dict) and "wall_median_s" in value:
        return (f"wall {value['wall_median_s']:g} s (min {value['wall_min_s']:g}), "
                f"CPU {value['cpu_median_s']:g} s (min {value['cpu_min_s']:g})")
    return str(value)


def markdown(report: dict) -> str:
    """Return the README table: measure | median (min) | target."""
    rows = [("`vixhedge run`, default config, cold", "run_cold", "run_cold_cpu_s"),
            ("`vixhedge --help`, cold", "help_cold", "help_cold_s"),
            ("one 5-year replay, warm, `fast` engine", "replay_5y_fast", "replay_5y_warm_fast_s"),
            ("... `backtrader` engine / `fast`", "backtrader_over_fast", None),
            (f"sweep, {report.get('sweep_kernel', {}).get('points')} points, 5-year window, kernel "
             f"({report.get('kernel_book')} book)", "sweep_kernel", None),
            (f"sweep, {report.get('sweep_points')} points, 5-year window, event-driven path", "sweep_event", None),
            ("kernel / event-driven, points/s (pairs, each scaled to its grid)", "kernel_over_event",
             "kernel_over_event"),
            (f"optstrategy, sub-grid of {report.get('optstrategy_sub_grid', {}).get('points')} points",
             "optstrategy_sub_grid", None),
            ("sweep / optstrategy, points/s (sub-grid scaled)", "sweep_over_optstrategy", "sweep_over_optstrategy"),
            ("`vixhedge sweep` CLI, cold, kernel", "cli_sweep_kernel", None),
            ("`vixhedge sweep` CLI, cold, event-driven", "cli_sweep_event", None),
            (f"`vixhedge sweep` CLI, cold, {report.get('big_sweep', {}).get('points')} points", "big_sweep",
             "big_sweep_cli_s"),
            ("dask LocalCluster warm / local processes", "dask_over_local", "dask_over_local")]
    out = ["| measure | median (min) | target |", "|---|---|---|"]
    for label, key, target in rows:
        if key in report:
            out.append(f"| {label} | {cell(report[key])} | {TARGETS.get(target, '') if target else ''} |")
    for row in report.get("memory_curve", []):
        out.append(f"| peak RSS, {row['points']:,} points (3-month window), parent / worker | "
                   f"{row['peak_rss_parent_mb']:g} / {row['peak_rss_worker_mb']:g} MB | {TARGETS['memory_curve']} |")
    return "\n".join(out)
