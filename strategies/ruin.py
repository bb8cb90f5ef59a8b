"""A ruin's liquidation: every position closed at the day's fills, but none paid to close that is worth at least 0.

:class:`RuinActions` is the part of :class:`~strategies.trader.Trader` that values and liquidates a ruined account
(:mod:`strategies.capital`: NAV <= 0 at an open, or a breach whose liquidation would leave nothing). The account is
closed as a broker would close it: every position at the day's bid/ask with fees (trades.csv reason ``ruin``), but
a group of positions whose payoff at expiry is never below 0 (:func:`floored`) and whose close would bring nothing
after fees (``LayerActions._closes_for_nothing``: a VIX call spread whose long call bids at most its short call's ask
plus the fees, a call or a wing bid at 0) is abandoned instead: its legs leave the ledger at 0, no cash, no fee
(``Desk.abandon``), its loss against its mark booked to its own component as a close at 0 would (trades.csv reason
``ruin+abandoned``, capital_cuts.csv verb ``abandon``). A broker liquidating a deficit would not pay to close it,
and it needs no margin; valuing it at 0 ignores its payoff at expiry (a lower bound, as the account is closed).
The ruin test's liquidation value (``Desk.liquidation_value``) counts each such group at 0 likewise, the others
(the short condor, VX futures) at their close value.

The groups: each option layer held (its legs together: a spread is one unit, never leg by leg) and what the layers
and the condor held leave in the ledger (:meth:`RuinActions._leftovers`): the legs of a layer left to expire, per
layer and expiry, and each condor wing left open alone. The sweep kernel's copy is
``kernel_options.OptionSlots.close_value`` (option slots and those left to expire) and ``kernel_condor.Wings``
(wings left open).
"""

from __future__ import annotations

from collections import defaultdict

from strategies.book import Layer
from strategies.capital import Trades
from strategies.condor_actions import condor_component
from vixhedge.core.instruments import Contract, Right

ABANDONED = "abandoned"  # the tag of a ruin's abandoned group (trades.csv reason ``ruin+abandoned``, layers.csv)


def floored(legs: Trades) -> bool:
    """Whether the payoff at expiry of ``legs`` is never below 0: options of one right and expiry, as many
    contracts a leg, whose net contracts counted from the far side (calls from the lowest strike up, puts from the
    highest down) never go below 0: a long call or put, a debit call spread; not a short option, not a VX future."""
    if not legs or not all(c.is_option for c, _ in legs) or len({abs(q) for _, q in legs}) != 1 \
            or len({(c.right, c.expiry) for c, _ in legs}) != 1:
        return False
    put = legs[0][0].right is Right.PUT
    held = 0
    for c, q in sorted(legs, key=lambda cq: (-cq[0].strike if put else cq[0].strike, -cq[1])):
        held += q
        if held < 0:
            return False
    return True


class RuinActions:
    """The trader's ruin liquidation (mixed into :class:`~strategies.trader.Trader`)."""

    def _leftovers(self) -> list[tuple[str, Trades]]:
        """The positions neither a layer held nor the condor held (by component): the legs of a layer left to
        expire, per component and expiry (a spread together), and each condor wing left open alone."""
        held: dict[tuple[Contract, str], int] = defaultdict(int)
        for layer in self.layers:
            for contract, q in layer.legs:
                held[(contract, layer.component)] += q
        c = self.condor
        if c is not None:
            for contract, q in c.legs.legs():
                held[(contract, condor_component(contract))] += q * c.contracts
        groups: dict[tuple, list[tuple[Contract, int]]] = defaultdict(list)
        for (contract, component), pos in self.desk.ledger.positions.items():
            qty = pos.qty - held.get((contract, component), 0)
            if qty:
                key = (component, contract) if component.startswith("condor") else (component, contract.expiry)
                groups[key].append((contract, qty))
        return [(key[0], tuple(legs)) for key, legs in groups.items()]

    def _abandons(self, legs: Trades) -> bool:
        """Whether a ruin's liquidation abandons ``legs`` (module docstring)."""
        return floored(legs) and self._closes_for_nothing(self.desk.day_index, legs)

    def _abandoned(self) -> tuple[Trades, ...]:
        """The groups of legs a ruin's liquidation today would abandon (``Desk.liquidation_value``'s ``abandoned``)."""
        held = tuple(L.legs for L in self.layers if self._abandons(L.legs))
        return held + tuple(legs for _, legs in self._leftovers() if self._abandons(legs))

    def _abandon_layer(self, layer: Layer) -> bool:
        """At a ruin: abandon ``layer`` (its legs at 0, no fee) when :meth:`_abandons`; return whether it did."""
        if not self._abandons(layer.legs):
            return False
        for contract, q in layer.legs:
            self.desk.abandon(contract, -q, layer.component, f"ruin+{ABANDONED}")
        return True

    def _liquidate(self, i: int) -> None:
        """Ruin: close every position at today's fills and fees, as a broker would, then close the account.

        The layers and the condor first (``Trader._cure_breach(i, "ruin")``), then what they leave in the ledger
        (:meth:`_leftovers`: the wings earlier exits, cuts and margin calls left open, :mod:`strategies.condor_actions`,
        and the legs of the layers left to expire, :mod:`strategies.layers`): each group sold at the day's fills with
        its fees, or abandoned at 0 (module docstring), as the ruin check's liquidation value
        (``Desk.liquidation_value``) counts them. Each leg is a capital_cuts.csv row as the layers and the condor are
        (``CapitalGuard.cure``; ``wing SPX ...``, ``L3 VIX ...``; verb ``close`` or ``abandon``)."""
        self._cure_breach(i, "ruin")
        for component, legs in self._leftovers():  # (the layers and the condor are closed: what was left)
            abandon = self._abandons(legs)
            for contract, qty in legs:
                leg = "wing" if component.startswith("condor") else component.split(":")[-1]  # (a layer's: L3)
                what = f"{leg} {contract.symbol}"
                if abandon:
                    self.desk.abandon(contract, -qty, component, f"ruin+{ABANDONED}")
                else:
                    self.desk.execute(contract, -qty, component, "ruin")
                tag = f"+{ABANDONED}" if abandon else ""
                verb = "abandon" if abandon else "close"
                self.capital.cure("ruin", what, abs(qty), 0, f"remove {what} (ruin{tag})", verb)
        self.capital.close_account()
