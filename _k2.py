import time, tempfile, dataclasses, json
from pathlib import Path
import pandas as pd, numpy as np
from vixhedge import config as C, sweep as sw, sweep_returns
from feeds.market import build_market
cfg = C.replace(C.load_default(), run={"start": "2016-01-04", "end": "2017-06-30"})
m = build_market(cfg.market)
grid = {"hedge.macd.fast": [6, 12], "hedge.review_bars": [2, 5], "hedge.instrument": ["vx_future", "vix_call_spread"]}
out = {}
for mode in ("auto", "off"):
    spec = sw.SweepSpec(name="t", base=cfg, grid=grid, kernel=mode, workers=1, in_sample_end=__import__("datetime").date(2016,12,30))
    d = Path(tempfile.mkdtemp())
    t = time.perf_counter(); sw.run_sweep(spec, d, m, progress=True); print(mode, time.perf_counter()-t)
    out[mode] = (pd.read_csv(d/"results.csv"), (d/"returns.bin").read_bytes(), json.loads((d/"paths.json").read_text()))
    print(out[mode][2])
a, b = out["auto"][0], out["off"][0]
print((a.columns == b.columns).all(), a.equals(b))
print((a.drop(columns="point").select_dtypes("number") - b.drop(columns="point").select_dtypes("number")).abs().max())
print(out["auto"][1] == out["off"][1])
a=a.sort_values("point").reset_index(drop=True); b=b.sort_values("point").reset_index(drop=True)
num=a.select_dtypes("number").columns
print("maxdiff", (a[num]-b[num]).abs().max().max(), (a.drop(columns=num).equals(b.drop(columns=num))))
def recs(raw, n):
    size=16+8*n; return {raw[i:i+16]: raw[i+16:i+size] for i in range(0,len(raw),size)}
n=(len(out["off"][1])//8 - 2*8)//8
for n in range(10, 2000):
    if len(out["off"][1]) % (16+8*n) == 0 and len(out["off"][1])//(16+8*n) == 8: break
ra, rb = recs(out["auto"][1], n), recs(out["off"][1], n)
print("returns keys eq", ra.keys()==rb.keys(), max(np.abs(np.frombuffer(ra[k])-np.frombuffer(rb[k])).max() for k in ra))
