"""The engine's pure core: configuration, pricing, instruments, ledger, desk, margin and signals.

Nothing here imports backtrader, the application layer (run, compare, sweep, report, CLI) or
matplotlib (tests/vixhedge/test_layout.py); the application builds on it.
"""
