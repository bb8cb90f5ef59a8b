"""Shared test helpers for vixhedge/: a headless Chromium that renders a report page; examples/ on the path;
the default config's real-data market of 2014-03 .. 2018-12, built once (``real_2014_2018``); the default config
over 2015-06 .. 12 on the backtrader engine and its run folder, which the report, summary and folder tests read
(``short_run``, ``short_folder``).

``rendered(html_file)`` returns the page's DOM after Chromium loaded it (``--dump-dom``) as a list of
(tag, attributes, text) plus a screenshot taken by the same browser; tests assert what the page
shows by element presence. Without Debian's chromium at /usr/bin/chromium the fixture skips, saying so.
"""

from __future__ import annotations

import os
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="session")
def real_2014_2018(shared_data):
    """The default config on ../shared/data over the README's "Model vs real market" window, and its market
    (built once for every realdata test that needs it)."""
    from feeds.market import build_market
    from vixhedge.core import config as C

    cfg = C.replace(C.load_default(), run={"start": "2014-03-03", "end": "2018-12-31"},
                    market={"source": "directory", "data_dir": str(shared_data)})
    return cfg, build_market(cfg.market)


@pytest.fixture(scope="session")
def short_run():
    """The default config over 2015-06-01 .. 2015-12-31 (alvh layers and condors with fees, exits that leave wings
    open, a drawdown not recovered by the end) on the backtrader engine (the fast engine is run_backtest's default)."""
    from feeds.market import build_market
    from vixhedge.core import config as C
    from vixhedge.run import run_backtest

    cfg = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2015-12-31"})
    return run_backtest(cfg, build_market(cfg.market), engine="backtrader")


@pytest.fixture(scope="session")
def short_folder(short_run, tmp_path_factory) -> Path:
    """``short_run``'s run folder, written once (tests that change a folder copy it first)."""
    from vixhedge.report import write_run

    return write_run(short_run, tmp_path_factory.mktemp("runs"))


@pytest.fixture
def on_path(monkeypatch):
    """examples/ importable here and (PYTHONPATH) in every process started from here: sweep and dask workers."""
    monkeypatch.syspath_prepend(str(EXAMPLES))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(EXAMPLES), os.environ.get("PYTHONPATH")])))


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict, str]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.elements.append((tag, dict(attrs), ""))

    def handle_data(self, data) -> None:
        if self.elements and data.strip():
            tag, attrs, text = self.elements[-1]
            self.elements[-1] = (tag, attrs, text + data.strip())


@pytest.fixture
def rendered(tmp_path):
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium); not installed here")

    def render(html_file: Path) -> tuple[list[tuple[str, dict, str]], Path]:
        base = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1100,1800"]
        shot = tmp_path / f"{html_file.parent.name}.png"
        done = subprocess.run([*base, f"--screenshot={shot}", html_file.as_uri()], capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0 and shot.stat().st_size > 10_000, done.stderr[-2000:]
        dom = subprocess.run([*base, "--dump-dom", html_file.as_uri()], capture_output=True, text=True, timeout=60)
        assert dom.returncode == 0 and "</html>" in dom.stdout, dom.stderr[-2000:]
        parser = _Dom()
        parser.feed(dom.stdout)
        return parser.elements, shot

    return render
