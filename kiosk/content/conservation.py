"""Carbon is conserved: at every node with flows in and out, what flows in flows out.

An exhibit that says "every number with its source" cannot draw 41.6 Gt going into the air and
40.0 Gt coming out. `kiosk check` runs this on every flow diagram, in every touch step, so an
operator who edits one rate learns that the picture no longer balances before visitors do.

Reversals (a wildfire) are short events, not yearly flows, and are left out of the balance.
Nodes with flows only in (sinks, stores) or only out (sources) are ends, not crossings.
No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kiosk.content.model import FlowDiagram, FlowLink


@dataclass(frozen=True)
class Imbalance:
    node: str
    step: int  # the touch step (0 = before any touch) in which the node does not balance
    inflow: float
    outflow: float
    allowed: float  # the rounding the written rates allow
    in_links: tuple[int, ...]  # indexes into diagram.links
    out_links: tuple[int, ...]

    @property
    def difference(self) -> float:
        return self.outflow - self.inflow


def _decimals(rate: float) -> int:
    exponent = Decimal(repr(rate)).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def rounding_allowance(rates: list[float]) -> float:
    """How far in and out may differ because each rate is rounded to the digits it is written with.

    Each rate written with d decimals can be off by half a unit in its last place; the errors add.
    """
    return sum(0.5 * 10.0 ** -_decimals(r) for r in rates)


def step_links(diagram: FlowDiagram, step: int) -> list[tuple[int, FlowLink]]:
    """The links shown in touch step `step` (a link appears from its `step` on)."""
    return [(i, link) for i, link in enumerate(diagram.links) if link.step <= step]


def imbalances(diagram: FlowDiagram) -> list[Imbalance]:
    """Every node, in every step, where the flows in and out differ by more than rounding."""
    found: list[Imbalance] = []
    seen: set[tuple] = set()
    for step in range(len(diagram.steps) + 1):
        shown = step_links(diagram, step)
        for node in diagram.nodes:
            ins = [(i, link) for i, link in shown if link.to == node.id and link.from_ != node.id]
            outs = [(i, link) for i, link in shown if link.from_ == node.id and link.to != node.id]
            if not ins or not outs:
                continue
            total_in = sum(link.rate for _, link in ins)
            total_out = sum(link.rate for _, link in outs)
            allowed = rounding_allowance([link.rate for _, link in ins + outs])
            if abs(total_in - total_out) <= allowed + 1e-9:
                continue
            key = (node.id, tuple(i for i, _ in ins), tuple(i for i, _ in outs))
            if key in seen:  # the same imbalance carried into a later step: report it once
                continue
            seen.add(key)
            found.append(
                Imbalance(
                    node.id, step, round(total_in, 6), round(total_out, 6), round(allowed, 6),
                    tuple(i for i, _ in ins), tuple(i for i, _ in outs),
                )
            )
    return found


def _gt(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def describe(imb: Imbalance, link_lines: dict[int, int] | None = None) -> str:
    """The message an operator reads, e.g. "flows do not balance at node 'air' (step 1): ..."."""
    when = "before any touch step" if imb.step == 0 else f"in step {imb.step}"
    text = (
        f"carbon is not conserved at node '{imb.node}' {when}: {_gt(imb.inflow)} Gt a year flows in, "
        f"{_gt(imb.outflow)} flows out (difference {_gt(abs(imb.difference))}, rounding allows "
        f"{_gt(imb.allowed)})"
    )
    if link_lines:
        lines_in = [link_lines[i] for i in imb.in_links if i in link_lines]
        lines_out = [link_lines[i] for i in imb.out_links if i in link_lines]
        text += f"; flows in on lines {', '.join(map(str, lines_in))}, out on lines {', '.join(map(str, lines_out))}"
    return text
