import time, tempfile, sys
from pathlib import Path
from vixhedge import config as C, sweep as sw
from vixhedge.bench import FIVE_YEARS, _grid
from feeds.market import build_market
import cProfile, pstats
cfg = C.replace(C.load_default(), run=FIVE_YEARS)
m = build_market(cfg.market)
n = int(sys.argv[1]) if len(sys.argv) > 1 else 512
spec = sw.SweepSpec(name="b", base=cfg, grid=_grid(n), workers=1)
pts, _ = sw.expand(spec, m)
from vixhedge.kernel import run_points
run_points(pts[:4], m, None)  # warm the shared matrices and tape
t = time.process_time(); rows, rest = run_points(pts, m, None); tk = time.process_time() - t
print(f"kernel: {len(pts)} points {tk:.2f} s CPU, {tk/len(pts)*1000:.2f} ms/point, back={len(rest)}")
ev = pts[:16]
t = time.process_time()
for p in ev: sw.run_point(p, m, None)
te = (time.process_time() - t) / len(ev)
print(f"event: {te*1000:.1f} ms/point; ratio {te/(tk/len(pts)):.0f}x")
if "-p" in sys.argv:
    cProfile.run("run_points(pts, m, None)", "/tmp/p3")
    pstats.Stats("/tmp/p3").sort_stats("tottime").print_stats(18)
