import cProfile, pstats, tempfile, time
from pathlib import Path
from vixhedge import config as C, sweep as sw
from vixhedge.bench import FIVE_YEARS, _grid
from feeds.market import build_market
cfg = C.replace(C.load_default(), run=FIVE_YEARS)
m = build_market(cfg.market)
spec = sw.SweepSpec(name="b", base=cfg, grid=_grid(512), workers=1)
d = Path(tempfile.mkdtemp())
t = time.perf_counter()
cProfile.run("sw.run_sweep(spec, d / 'o', m, progress=False)", "/tmp/p7")
print("wall", time.perf_counter() - t)
pstats.Stats("/tmp/p7").sort_stats("cumtime").print_stats(30)
