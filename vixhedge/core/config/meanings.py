"""The words of the README's "Config reference" (:mod:`vixhedge.core.config.reference` reads the rest from the code):
one line per table (:data:`SECTIONS`), the fitted tables' provenance (:data:`FITTED`) and one line per key
(:data:`MEANING`: a key added to the config without one here fails the reference's test). A range ``(a .. b)``
takes both ends unless it says otherwise: ``(a .. b]`` leaves out a, ``[a .. b)`` leaves out b, "both ends
excluded" both (tests/vixhedge/test_meaning_ranges.py loads each stated end)."""

# one line per table: what it is and where the README tells more
SECTIONS = {
    "run": "the window, capital and seed of one run",
    "market": "where prices come from (*Real data*) and the models that fill what the data lacks",
    "market.synthetic": 'the seeded market of `source = "synthetic"` (`feeds/synthetic.py`)',
    "market.vx_curve": "VX futures curve model (`feeds/vxcurve.py`)",
    "market.spx_smile": "SPX implied-vol smile of the model chains (`feeds/surface.py`, `feeds/chains.py`)",
    "market.vix_smile": "Black-76 vol of VIX options: atm x (tau / 30 d)^-term_exponent x (1 + skew ln(K/F)), atm "
                        "from VVIX where the data has it",
    "market.spreads": "modelled bid/ask widths (full spread): clip(fraction x mid^power, min, max), whole ticks",
    "execution": "fill prices and fees (`vixhedge/core/desk.py`)",
    "condor": "the short SPX iron condor (*The policy*, Condor and baselines)",
    "hedge": "the hedge book: mode, instrument, sizing, caps and cadence (*ALVH rules*)",
    "hedge.macd": "MACD on the VX series, periods in bars (*Signals*)",
    "hedge.confirm": "when a crossover acts (also applies to reviews)",
    "hedge.divergence": "bullish divergence: removes layers, may shrink the condor",
    "hedge.rsi": "RSI(VIX) cross-check of adds and removals",
    "hedge.placement": "a flattening MACD places outer layers further out",
    "hedge.fomc": "FOMC window rule (*Event calendars*)",
    "hedge.vxth": 'Cboe VXTH rules, read with `hedge.mode = "vxth"` (*VXTH: the replica and the overlay*)',
    "hedge.expansion": "MACD histogram expanding above zero: smaller steps, tighter reviews",
    "hedge.slope": "a steep MACD rise places a new layer nearer",
    "hedge.events": "CPI / PPI release windows, acting like the FOMC window",
    "hedge.term_structure": "front / second VX ratio as a cross-check of adds and removals",
    "analysis": "conventions of the reported metrics (*Conventions*)",
    "margin": "Reg-T margin, buying power, breach rule and hedge budget (*Capital, margin and ruin*)",
}

# fitted model parameters: one row per table, pointing to the README section that derives them
FITTED = {
    "market.vx_curve": ("model", "fitted on every real monthly VX settle (`python -m feeds.calibrate`); "
                        "*VX curve: two factors* derives them; `long_run_level` and `mean_reversion_per_year` "
                        "(theta, kappa) are read by `one_factor` and by the `vix_anchored` smile's ATM vol (kappa "
                        "also by the hedge-vega bridge, *Conventions*), the other eight by `two_factor` alone"),
    "market.spx_smile": ("model", "fitted on the 2019 SPX chains (`python -m feeds.calibrate`); *SPX surface per "
                         "day* derives them; surface keys within the fit's bounds, and together an ATM vol in "
                         "(0, 3] from 1 day to 2 years at VIX 9 .. 80; `vix_to_atm`, `skew`, `curvature` are "
                         "read by `vix_anchored` (`vix_to_atm` also by the hedge-vega bridge, *Conventions*), "
                         "`min_vol_fraction` (the floor of the smile's shape) by both, the other twelve by "
                         "`surface` alone"),
    "market.spreads": ("", "widths in index points (fraction and power: of the mid; SPX option widths 0 .. 50, "
                       "VIX option and VX 0 .. 5); fitted on real session quotes; *Option widths from real quotes* "
                       "derives them"),
}

MEANING = {
    "run.name": "names the run folder `runs/<name>-<hash8>/`; letters, digits, `-`, `_`, `.`; up to 100 characters",
    "run.start": "first day traded (1990-01-01 .. 2035-12-31, the exchange calendar's; outside it with `--data-dir` "
                 "the refusal also names that directory's data span and the first start its MACD warm-up leaves; a "
                 "date that is no day, `2016-13-01`, is refused naming its file, line and key: trial TASK42); signals "
                 "warm up on the data before it",
    "run.end": "last day traded (1990-01-01 .. 2035-12-31)",
    "run.initial_cash_usd": "starting cash, USD (100 .. 1e12)",
    "run.seed": "seed of the bootstrap intervals of `compare` and `sweep`; written to `manifest.json`",
    "market.source": "embedded: SPX + VIX 2014-2018 shipped by `arch`, VX modelled; directory: real files in "
                     "`data_dir`; synthetic: `[market.synthetic]`",
    "market.data_dir": 'folder of the data files, only with `source = "directory"` (`feeds/directory.py`)',
    "market.history_start": "no data before this day is read",
    "market.rate": 'continuous annual rate, used on every day only with `rates = "constant"`',
    "market.rates": "short rate of option pricing and cash interest: series = the data folder's FRED file, else "
                    "the shipped monthly DFF means; constant = `rate`",
    "market.div_yield": "continuous annual SPX dividend yield (0 .. 0.2)",
    "market.synthetic.seed": "seed of the path: same config and seed, same market",
    "market.synthetic.start": "first session of the path",
    "market.synthetic.end": "last session of the path",
    "market.synthetic.spx_start": "SPX level on the first day (50 .. 50,000)",
    "market.synthetic.vix_start": "VIX level on the first day",
    "market.synthetic.vix_long_run": "level log-VIX reverts to, VIX points",
    "market.synthetic.vix_mean_reversion_per_year": "speed of that reversion, per year",
    "market.synthetic.vix_vol_of_vol": "annual vol of log-VIX",
    "market.synthetic.jumps_per_year": "mean number of upward VIX jumps a year (Poisson)",
    "market.synthetic.jump_mean_log": "mean size of a jump in log-VIX (exponential)",
    "market.synthetic.spx_drift_per_year": "SPX drift, annual",
    "market.synthetic.vix_to_spx_vol": "SPX annual vol = this x VIX / 100",
    "market.synthetic.correlation": "correlation of SPX and VIX shocks (-1 .. 1)",
    "market.synthetic.jump_spx_beta": "SPX falls this x each log-VIX jump",
    "market.synthetic.shocks": 'named historical shocks, `"name@YYYY-MM-DD, ..."`; names vol_spike, flash, '
                               "downgrade, crash (*Real data*)",
    "market.vx_curve.model": "two_factor: slow level + fast deviation + tenor premium; one_factor: theta + "
                             "(VIX - theta) exp(-kappa tau)",
    "market.spx_smile.model": "surface: per-day ATM term structure, per-side wings; vix_anchored: vix_to_atm x "
                              "average VIX to expiry, one quadratic",
    "market.vix_smile.atm_vol": "30-day ATM vol of VIX options on a day without VVIX, annual fraction",
    "market.vix_smile.atm_per_vvix": "30-day ATM vol of VIX options = this x VVIX / 100 on a day with Cboe's VVIX "
                                     "close (0 .. 3; 0: atm_vol every day)",
    "market.vix_smile.term_exponent": "how the ATM vol falls with tenor (0 .. 1)",
    "market.vix_smile.skew": "upward skew per unit of ln(K/F) (0 .. 3)",
    # the fitted tables' keys (FITTED: one grouped row in the README's reference; these lines are the comments of
    # `--print-config`, trial RD25: 35 bare keys): the symbols of the README sections FITTED names
    "market.vx_curve.long_run_level": "one_factor's and the vix_anchored smile's theta: the VIX level futures revert "
                                      "to, points (0 .. 100, both ends excluded)",
    "market.vx_curve.mean_reversion_per_year": "one_factor's kappa: that reversion's speed per year; also the "
                                               "vix_anchored smile's and the hedge-vega bridge's under any model "
                                               "[0.01 .. 50)",
    "market.vx_curve.slow_long_run_level": "two_factor's theta2: the level VIX's slow part m reverts to (1 .. 100)",
    "market.vx_curve.slow_reversion_per_year": "two_factor's k2: the slow level's reversion per year at m = theta2, "
                                               "faster above (0 .. 50)",
    "market.vx_curve.fast_reversion_per_year": "two_factor's k1: the fast deviation x's decay per year: how fast "
                                               "backwardation after a spike unwinds (0.01 .. 200)",
    "market.vx_curve.slow_gain": "two_factor's g_m: share of a day's VIX surprise the slow level takes (0 .. 1; "
                                 "0 or at least 0.0001; slow_gain + fast_gain <= 1)",
    "market.vx_curve.fast_gain": "two_factor's g_x: share the fast deviation takes (slow_gain + fast_gain <= 1; "
                                 "the rest a transient futures ignore)",
    "market.vx_curve.premium": "two_factor's c: futures' premium over expected VIX at long tenors and m = 20, "
                               "points (-20 .. 20)",
    "market.vx_curve.premium_per_level": "two_factor's c1: the premium's change per point of m at m = 20 "
                                         "(-2 .. 2)",
    "market.vx_curve.premium_reversion_per_year": "two_factor's kp: the premium grows with tenor as "
                                                  "1 - exp(-kp tau) (0.01 .. 200)",
    "market.spx_smile.vix_to_atm": "vix_anchored: ATM vol = this x the average VIX expected to expiry / 100; also "
                                   "the hedge-vega bridge's under any model (0.3 .. 1.5)",
    "market.spx_smile.skew": "vix_anchored: the smile's slope in z = ln(K/F) / (ATM vol sqrt T) (-1 .. 0)",
    "market.spx_smile.curvature": "vix_anchored: the smile's curvature in z (0 .. 0.5)",
    "market.spx_smile.min_vol_fraction": "no strike's vol below this x ATM vol (0.05 .. 1)",
    "market.spx_smile.atm_ratio_per_log_tenor": "surface's a1: ATM vol / the index, change per unit of ln(T / 30 d) "
                                                "(-1 .. 1; with the other surface keys an ATM vol in (0, 3] on "
                                                "every tenor 1 day .. 2 years: -0.19 .. 0.17 at the fitted ones)",
    "market.spx_smile.put_skew": "surface's s_p: the put wing's slope in z at SKEW 125 (-2 .. 0)",
    "market.spx_smile.put_skew_per_skewness": "surface's s_g: the put slope's change per unit of (SKEW - 100) / 10 "
                                              "(-1 .. 0)",
    "market.spx_smile.put_curvature": "surface's q_p: the put wing's curvature in z (-1 .. 1)",
    "market.spx_smile.call_skew": "surface's s_c: the call wing's slope in z at 30 days (-2 .. 1)",
    "market.spx_smile.call_skew_per_log_tenor": "surface's s_c1: the call slope's change per unit of ln(T / 30 d) "
                                                "(-1 .. 1)",
    "market.spx_smile.call_curvature": "surface's q_c: the call wing's curvature in z at 30 days (-1 .. 1)",
    "market.spx_smile.call_curvature_per_log_tenor": "surface's q_c1: the call curvature's change per unit of "
                                                     "ln(T / 30 d) (-1 .. 1)",
    "market.spx_smile.index_wing_variance": "surface's c: ATM vol / the index = 1 / sqrt(1 + c (SKEW - 100) / 10) "
                                            "(0 .. 10)",
    "market.spx_smile.index_relations": "surface: (c, d, e) of ln(I / VIX) = c + d ln VIX + e ln(A / VIX) for "
                                        "VIX9D, VIX3M, VIX6M, VIX1Y, SKEW in turn (A: VIX's 20-day EMA), where "
                                        "the data lacks that index",
    "market.spx_smile.skew_first_year": "surface: the year of skew_by_year's first offset (1990 .. 1999; "
                                        "1999 = 2036 - the fitted 37 knots: each knot's year in 1990 .. 2035)",
    "market.spx_smile.skew_by_year": "surface: SKEW's offsets in ln from its relation's c on July 1 of each year "
                                     "from skew_first_year (linear between, flat outside; -0.5 .. 0.5)",
    "market.spreads.spx_option_fraction": "SPX option width = clip(this x mid^power, min, max) [0 .. 1)",
    "market.spreads.spx_option_power": "the power of the SPX option mid in its width (0 .. 1.5; 1: proportional)",
    "market.spreads.spx_option_min": "narrowest SPX option width, index points (0 .. 50; <= max)",
    "market.spreads.spx_option_max": "widest SPX option width, index points (min .. 50)",
    "market.spreads.vix_option_fraction": "VIX option width = clip(this x mid^power, min, max) [0 .. 1)",
    "market.spreads.vix_option_power": "the power of the VIX option mid in its width (0 .. 1.5)",
    "market.spreads.vix_option_min": "narrowest VIX option width, index points (0 .. 5; <= max)",
    "market.spreads.vix_option_max": "widest VIX option width, index points (min .. 5)",
    "market.spreads.vx_future": "VX futures' bid/ask width, index points: a bid/ask fill pays half of it (0 .. 5; "
                                "0.05: one tick)",
    "execution.fill": "bid_ask: buy at the ask, sell at the bid; mid: at mid; slippage: mid plus "
                      "`slippage_fraction` of the half-spread against the trade",
    "execution.slippage_fraction": 'share of the half-spread paid beyond mid with `fill = "slippage"` (0 .. 1)',
    "execution.fee_spx_option_usd": "fee per SPX option contract, USD (0 .. 1,000)",
    "execution.fee_vix_option_usd": "fee per VIX option contract, USD (0 .. 1,000)",
    "execution.fee_vx_future_usd": "fee per VX future contract, USD (0 .. 1,000)",
    "execution.signal_delay_bars": "bars between the close a hedge decision is computed from and its fills "
                                   "(0 .. 5): 0 fills on the signal's bar, at the settle the MACD read; 1 on the "
                                   "next bar's quotes (*The model, and where it simplifies*); the alvh policy and "
                                   "plug-ins read signals, the static and vxth policies none (their calendar and the "
                                   "day's quotes decide: the delay leaves them as they are)",
    "condor.entry": "dte: whenever flat, an untraded monthly expiry in [min_dte, max_dte] closest to "
                    "target_dte; calendar: within entry_window_days after a monthly expiration",
    "condor.entry_window_days": 'calendar days after a monthly expiration a `"calendar"` entry may open (0 .. 20)',
    "condor.target_dte": "preferred days to expiry at entry",
    "condor.min_dte": "shortest days to expiry at entry (1 .. 400; <= target_dte)",
    "condor.max_dte": "longest days to expiry at entry (1 .. 400; >= target_dte)",
    "condor.strike_rule": "delta: shorts at the absolute delta nearest short_delta; pct_otm: short_otm_pct from spot",
    "condor.short_delta": "absolute delta of the short put and call (0 .. 0.5, both ends excluded)",
    "condor.short_otm_pct": 'shorts\' distance from spot with `strike_rule = "pct_otm"`, fraction',
    "condor.wing_delta": "absolute delta of the long wings (below short_delta)",
    "condor.wing_width_points": "0: wings by wing_delta; else wings this many SPX points beyond the shorts "
                                "(multiple of 5, at most 1,000)",
    "condor.sizing": "contracts: `contracts`; max_loss: max loss within max_loss_nav_fraction of NAV; margin: "
                     "Reg-T requirement within margin_nav_fraction of NAV",
    "condor.contracts": 'condors per entry with `sizing = "contracts"`',
    "condor.max_loss_nav_fraction": 'budget of `sizing = "max_loss"`: max loss as a fraction of NAV',
    "condor.margin_nav_fraction": 'budget of `sizing = "margin"`: Reg-T requirement as a fraction of NAV',
    "condor.max_loss_cap_nav_fraction": "cap under any sizing: max loss (widest wing - credit) <= this x NAV",
    "condor.margin_cap_nav_fraction": "cap under any sizing: Reg-T requirement <= this x NAV",
    "condor.profit_take": "close when this share of the credit is captured (1 = hold)",
    "condor.stop_multiple": "close when the cost to close reaches this x the credit (> 1; 0 = no stop)",
    "condor.exit_dte": "close at this many days to expiry (0 = hold to the AM settlement)",
    "condor.roll_on_dte": "reopen on the next cycle the day of a DTE exit (needs exit_dte > 0)",
    "condor.roll_on_stop": "reopen on the next cycle the day of a stop (needs stop_multiple > 1)",
    "condor.enabled": "false: no condor (a hedge baseline alone)",
    "condor.selector": 'plug-in condor selector, `"module:callable"` or an entry point; "" = the built-in '
                       "(*Plug-ins*)",
    "condor.selector_params": "the selector's own table `[condor.selector_params]` (*Plug-ins*)",
    "hedge.mode": "none: no hedge; static: static_layers layers, rolled; alvh: the MACD-layered policy; vxth: "
                  "Cboe VXTH calls",
    "hedge.instrument": "a layer's instrument: vx_future (long VX futures); vix_call_spread (long VIX call "
                        "spread_long_otm above the VX future, short call spread_width_points higher); vix_call "
                        '(the long call alone); `mode = "vxth"` always buys calls',
    "hedge.sizing": "first layer: contracts = first_layer_contracts; vega_ratio = target_hedge_ratio x "
                    "abs(condor vega)",
    "hedge.first_layer_contracts": "contracts of the first layer (a VIX option contract moves $100 a VIX point, a VX "
                                   "future $1,000: with option layers a run notes it and suggests "
                                   '`sizing = "vega_ratio"`)',
    "hedge.target_hedge_ratio": 'first layer\'s vega / abs(condor vega) with `sizing = "vega_ratio"` (0 .. 5]',
    "hedge.next_layer_multiple": "later layers: this x the first layer's notional (0 .. 10]",
    "hedge.expanding_layer_multiple": "... this x instead while the histogram expands above zero "
                                      "(<= next_layer_multiple)",
    "hedge.max_layers": "most layers open at once (1 .. 20)",
    "hedge.max_notional_usd": "cap on the open layers' notional at their entry or last roll, USD (up to 1e12; "
                              "inf = none)",
    "hedge.premium_budget_usd": "cap on the premium paid for the option layers held, USD (up to 1e12; inf = none; "
                                "VX futures cost no premium)",
    "hedge.static_layers": 'layers held by `mode = "static"` (1 .. 20; `max_layers` is the alvh policy\'s)',
    "hedge.tenor_months": "VX contract month a layer opens in and rolls into (1 = front .. 6); on a day the CFE "
                          "listed fewer (2004-2006: 3 on its leanest days), the furthest listed one, said in a note",
    "hedge.roll_days": "a layer rolls this many sessions before its settlement (0 .. 15)",
    "hedge.spread_long_otm": "option layers: long call strike = the listed VIX strike nearest VX future x (1 + this) "
                             "(half points below 15, whole to 30, 2.5 to 50, 5 above; -0.5 .. 1)",
    "hedge.spread_width_points": "call-spread width, whole VIX points (1 .. 50): the short call is the first listed "
                                 "strike at or above the long one plus this",
    "hedge.on_cross_up": "action when MACD crosses above its signal (fear rising), and of each review while above",
    "hedge.on_cross_down": "action when MACD crosses below its signal (easing), and of each review while below",
    "hedge.review_bars": "while a regime persists, add or remove a layer every this many bars (0 = crossovers only)",
    "hedge.require_condor": "no layer opens while no condor is open",
    "hedge.fractional_carry": "a layer's fractional notional is carried to the next (1.5x = 1, 2, 1, 2 ...)",
    "hedge.policy": 'plug-in hedge policy by name or `"module:callable"`, or a built-in (`none`, `static`, `alvh`, '
                    '`vxth`, `placebo`: *Is the timing worth anything? A placebo*); "" = the built-in of `mode` '
                    '(*Plug-ins*)',
    "hedge.policy_params": "the policy's own table `[hedge.policy_params]` (*Plug-ins*; the built-in `placebo`'s "
                           "seed, p_add, layers)",
    "hedge.signals": "plug-in extra per-bar signals by name (*Plug-ins*)",
    "hedge.macd.fast": "fast EMA period (1 .. 1000: fast, slow and signal stay within about four years of "
                       "sessions; the warm-up is slow + signal - 1 bars of a VX history of about 5,300)",
    "hedge.macd.slow": "slow EMA period (> fast, <= 1000)",
    "hedge.macd.signal": "signal EMA period (2 .. 1000; a 1-bar EMA equals the MACD, which never crosses it)",
    "hedge.macd.series": "the VX series: constant_30d = front two months at a constant 30-day maturity; front; "
                         "second; short_term_index = the S&P VIX Short-Term Futures index level",
    "hedge.macd.expansion_bars": "histogram expanding = rising on each of the last N bars (1 .. 252)",
    "hedge.macd.slope_bars": "MACD slope = (macd[t] - macd[t-n]) / n (1 .. 252)",
    "hedge.macd.flat_threshold": "flattening: abs(MACD slope) below this, VX points per bar",
    "hedge.confirm.hold_bars": "bars a crossover must hold past the cross bar (0 .. 30)",
    "hedge.confirm.require_expanding": "the histogram must also expand the cross's way",
    "hedge.confirm.anticipate_bars": "> 0: act on a crossover projected within this many bars (1 .. 10)",
    "hedge.divergence.enabled": "a bullish divergence removes the newest layers",
    "hedge.divergence.source": "vx: the MACD's VX series and its MACD; spx: SPX closes and their MACD",
    "hedge.divergence.left": "pivot: bars to its left",
    "hedge.divergence.right": "pivot: bars to its right (the delay before it is usable)",
    "hedge.divergence.min_bars": "fewest bars between the two pivots",
    "hedge.divergence.max_bars": "most bars between the two pivots",
    "hedge.divergence.remove_layers": ("layers a bullish divergence removes (0 .. 20; 0: none, its condor cut alone "
                                       "acts, except near an FOMC meeting with fomc.enabled and fomc.divergence on: "
                                       "there fomc_divergence removes fomc.divergence_remove_layers, 20 = all)"),
    "hedge.divergence.condor_scale": "< 1: the next condor opens with this x its contracts",
    "hedge.divergence.pattern": "literal: VX lower low + MACD higher low; equity: VX higher high + MACD lower high",
    "hedge.divergence.condor_cut": "> 0: buy back this share of the open condor [0 .. 1)",
    "hedge.divergence.hold_adds": "> 0: for this many sessions after a divergence removed layers, a review adds none "
                                  "back (a fresh crossover still does; 0 .. 60; not written to config.toml at 0)",
    "hedge.rsi.enabled": "check adds and removals against RSI(VIX)",
    "hedge.rsi.period": "Wilder RSI period, bars",
    "hedge.rsi.add_min": "add only when RSI >= this",
    "hedge.rsi.remove_max": "remove on easing only when RSI <= this",
    "hedge.placement.enabled": "while the MACD flattens, outer layers (all but the oldest) sit further out",
    "hedge.placement.flat_extra_otm": "option layers: this much further OTM, fraction of the VX future",
    "hedge.placement.flat_extra_tenor": "VX-future layers: this many contract months further out (1 .. 3)",
    "hedge.placement.restrike_min_points": "option layers already open move out only if their long call rises at "
                                           "least this many VIX points (0: any move; each restrike crosses the "
                                           "legs' spreads)",
    "hedge.fomc.enabled": "in an FOMC window with the MACD rising and the A/D line weakening, review at `cadence`",
    "hedge.fomc.calendar_csv": '"" = packaged 2000-2026 dates; else a CSV in the `announcement_date,type` layout',
    "hedge.fomc.days_before": "sessions before the announcement in the window",
    "hedge.fomc.days_after": "sessions after it",
    "hedge.fomc.review_bars": 'bars between reviews with `cadence = "bars"`',
    "hedge.fomc.require_ad": "the rule needs an A/D input (off without one, noted in the log); false: MACD alone",
    "hedge.fomc.ad_bars": "A/D line weakening = advances - declines summed over this many sessions < 0",
    "hedge.fomc.ad_csv": ('advance/decline CSV (`date` + two count columns; `feeds/breadth.py`); "" = a data '
                          "directory's breadth file, else none"),
    "hedge.fomc.ad_advances_column": "its column of advancing issues",
    "hedge.fomc.ad_declines_column": "its column of declining issues",
    "hedge.fomc.cadence": "add reviews' interval in the window: twice_weekly = 2 sessions, or hedge.review_bars if "
                          "shorter; every_two_weeks = 2 x hedge.review_bars; bars = fomc.review_bars",
    "hedge.fomc.divergence": "a bullish divergence near a meeting removes divergence_remove_layers layers",
    "hedge.fomc.divergence_sessions": "... near = within this many sessions (0 .. 20)",
    "hedge.fomc.divergence_remove_layers": "... layers removed then (20 = all)",
    "hedge.vxth.call_delta": "delta of the calls bought",
    "hedge.vxth.min_sessions": "the calls' expiry is the nearest VIX expiry more than this many sessions away",
    "hedge.vxth.levels": "bands (-inf, a], (a, b], (b, c], (c, inf) of the VX future of the calls' month",
    "hedge.vxth.weights": "premium as a fraction of NAV in each band",
    "hedge.expansion.sizing": "later layers at expanding_layer_multiple",
    "hedge.expansion.cadence": "reviews every expansion.review_bars",
    "hedge.expansion.review_bars": "bars between reviews while the histogram expands above zero",
    "hedge.slope.enabled": "a layer opened on a steep rise sits one month nearer (futures) or near_otm closer",
    "hedge.slope.steep": "MACD slope counting as steep, VX points per bar",
    "hedge.slope.near_otm": "option layers: this much closer to the money (0 .. 0.5] (spread_long_otm less this at "
                            "least -0.5)",
    "hedge.events.enabled": "CPI / PPI windows act like the FOMC window",
    "hedge.events.cpi": "include CPI releases",
    "hedge.events.ppi": "include PPI releases",
    "hedge.events.days_before": "sessions before the release in the window",
    "hedge.events.days_after": "sessions after it",
    "hedge.events.calendar_csv": '"" = packaged BLS dates 2000-2026; else a CSV of `date,event` rows (event '
                                 "fomc, cpi or ppi) ending in a `# rows: N` line (`feeds/events.py`), not the "
                                 "FOMC key's layout",
    "hedge.term_structure.enabled": "check adds and removals against front / second VX",
    "hedge.term_structure.add_min_ratio": "add only when the ratio >= this",
    "hedge.term_structure.remove_max_ratio": "remove only when the ratio <= this",
    "analysis.risk_free": "Sharpe and Sortino over: cash = what the run's cash earns each day; constant = "
                          "risk_free_rate",
    "analysis.risk_free_rate": 'annual rate, read only with `risk_free = "constant"` (stated alone it means that)',
    "analysis.periods_per_year": "annualisation: 252 or 365",
    "analysis.hedge_ratio_band": "[low, high] target band of hedge vega / abs(condor vega) (vega drift)",
    "analysis.stress_vix_level": "a stress day: VIX closes above this ...",
    "analysis.stress_top_share": "... or its one-day rise is in this top share of the run's days",
    "analysis.analyzers": "plug-in analyzers by name (*Plug-ins*)",
    "margin.mode": "reg_t: strategy-based; portfolio: worst loss over the index's valuation points",
    "margin.on_insufficient": "an order beyond buying power: reduce = as many as fit; refuse = none",
    "margin.on_breach": "maintenance breach: hedge_first = close layers newest first, then the condor; "
                        "liquidate = close everything",
    "margin.vx_initial_usd": "VX initial margin per contract, months 1-3 / 4-6 / 7+, USD (CFE RG13-019; at most "
                             "100,000)",
    "margin.vx_maintenance_usd": "VX maintenance margin per contract, same months, USD (at most the initial)",
    "margin.hedge_budget_nav_fraction": "layers' VX initial margin + option premium held <= this x NAV",
}
