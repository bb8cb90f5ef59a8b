"""What a run's configs are checked for before their market is built (:func:`feeds.market.market_for`): each a
line that would otherwise come after the banner and the build (3.5-7 s on ../shared/data).

- what the files the configs name are (:func:`vixhedge.core.config.paths.check_input_files`: a folder, a FIFO,
  /dev/zero as ``hedge.fomc.ad_csv``, ...: one line naming the key), a market given or not;
- before a build only: a data directory holding several A/D files that one of them reads
  (:func:`strategies.adinput.check_directory_file`; ~7 s sooner on ../shared/data), a calendar or A/D file's content
  a run refuses (:func:`strategies.signalfiles.check_signal_files`; trial FUZZ33 M3), a rate folder with no usable
  file (:func:`feeds.loaders.rates.find_rate_file`).
"""

from __future__ import annotations

from collections.abc import Sequence

from feeds.loaders.rates import find_rate_file
from vixhedge.core.config import Config, MarketSource, RateSource
from vixhedge.core.config.paths import check_input_files


def check_files(configs: Sequence[Config]) -> None:
    """Refuse a config whose calendar or A/D key names no readable regular file (a market given or not)."""
    for cfg in configs:
        check_input_files(cfg)


def check_before_build(configs: Sequence[Config]) -> None:
    """Refuse, before a build, what the runs of ``configs`` would refuse after it (the module docstring)."""
    from strategies.adinput import check_directory_file  # (here: feeds imports no strategies at module level)
    from strategies.signalfiles import check_signal_files

    check_directory_file(configs)
    check_signal_files(configs)
    for cfg in configs:
        if cfg.market.source is MarketSource.DIRECTORY and cfg.market.rates is RateSource.SERIES:
            find_rate_file(cfg.market.data_dir)
