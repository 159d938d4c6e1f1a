"""Carbon is conserved in every flow diagram, and `kiosk check` says where it is not.

An operator who edits one rate in content.yaml must learn from `kiosk check` that the diagram no
longer balances (which node, how much in and out, which line), before visitors see it.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from kiosk.content import conservation
from kiosk.content.check import main as check_main
from kiosk.content.loader import load
from kiosk.content.model import FlowDiagram

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content.yaml"


def shipped_diagrams() -> list[tuple[str, FlowDiagram]]:
    result = load(CONTENT)
    assert result.ok and result.exhibition is not None
    found = []
    for screen in result.exhibition.screens:
        if getattr(screen, "diagram", None) is not None:
            found.append((screen.id, screen.diagram))
        for method in getattr(screen, "methods", []):
            if getattr(method, "diagram", None) is not None:  # a mix method has no diagram
                found.append((f"{screen.id}.{method.id}", method.diagram))
    return found


def content_copy(folder: Path, text: str) -> Path:
    shutil.copytree(REPO / "assets", folder / "assets")
    path = folder / "content.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_diagram_conserves_carbon_in_every_step() -> None:
    diagrams = shipped_diagrams()
    assert len(diagrams) >= 10  # attract, flows, storage and one per method
    checked_nodes = 0
    for name, diagram in diagrams:
        assert conservation.imbalances(diagram) == [], name
        for step in range(len(diagram.steps) + 1):
            shown = conservation.step_links(diagram, step)
            for node in diagram.nodes:
                ins = [link.rate for _, link in shown if link.to == node.id]
                outs = [link.rate for _, link in shown if link.from_ == node.id]
                if ins and outs:
                    checked_nodes += 1
                    assert sum(ins) == pytest.approx(sum(outs), abs=0.05 * (len(ins) + len(outs))), (name, node.id)
    assert checked_nodes >= 10  # the air node of attract and flows (both steps), every method chain


def test_todays_flows_split_one_total_for_one_period() -> None:
    """42.2 Gt (2025) in, and the same 42.2 Gt out at the 2010–2019 shares: not 41.6 against 40.0."""
    diagrams = dict(shipped_diagrams())
    for name in ("attract", "flows"):
        base = [link for _, link in conservation.step_links(diagrams[name], 0)]
        inflow = sum(link.rate for link in base if link.to == "air")
        out = {link.to: link.rate for link in base if link.from_ == "air"}
        assert inflow == pytest.approx(42.2)
        assert out == {"stays": 19.4, "ocean": 9.7, "land": 13.1}
        for node, share in {"stays": 0.46, "ocean": 0.23, "land": 0.31}.items():
            assert out[node] == pytest.approx(share * 42.2, abs=0.05), node


def test_removal_step_opens_the_land_use_exchange_instead_of_counting_forests_twice() -> None:
    flows = dict(shipped_diagrams())["flows"]
    added = [link for link in flows.links if link.step == 1]
    gross = sum(link.rate for link in flows.links if link.from_ == "land_use")
    regrowth = [link for link in added if link.from_ == "air"]
    assert gross == pytest.approx(6.3)  # clearing, gross: the net 4.1 plus what regrowth takes back
    assert [(link.to, link.rate) for link in regrowth] == [("regrowth", 2.2)]
    assert not any(link.to in {"rock", "stays", "ocean", "land"} for link in added)


def test_check_flags_a_changed_rate_with_node_in_out_and_line(tmp_path: Path) -> None:
    text = CONTENT.read_text(encoding="utf-8")
    assert text.count("rate: 19.4") == 1
    broken = content_copy(tmp_path, text.replace("rate: 19.4", "rate: 21.0"))
    lines = text.splitlines()
    rate_line = next(i for i, line in enumerate(lines, 1) if "rate: 19.4" in line)
    link_line = max(i for i in range(1, rate_line) if lines[i - 1].strip().startswith("- &link_stays"))
    air_line = next(i for i, line in enumerate(lines, 1) if line.strip() == "- &node_air")
    out = io.StringIO()
    status = check_main(broken, out)
    report = out.getvalue()
    assert status == 1, report
    expected = (
        f"content.yaml:{air_line}:11: error: carbon is not conserved at node 'air' before any touch step: "
        "42.2 Gt a year flows in, 43.8 flows out (difference 1.6, rounding allows 0.7); "
    )
    assert expected in report, report
    first = next(line for line in report.splitlines() if line.startswith(expected))
    assert f"out on lines {link_line}," in first
    # The flows screen shares the links and breaks too, before and after its touch step.
    assert "at node 'air' in step 1: 44.4 Gt a year flows in, 46 flows out" in report
    assert report.count("carbon is not conserved") == 3
    assert "the kiosk will not show this file" in report


def test_a_balanced_edit_passes_and_a_one_sided_node_is_not_a_crossing(tmp_path: Path) -> None:
    text = CONTENT.read_text(encoding="utf-8")
    # Move 0.5 Gt from the ocean to the land sink: still 42.2 out of the air.
    moved = text.replace("rate: 9.7", "rate: 9.2").replace("rate: 13.1", "rate: 13.6")
    out = io.StringIO()
    assert check_main(content_copy(tmp_path, moved), out) == 0, out.getvalue()
    assert "not conserved" not in out.getvalue()


def test_rounding_allowance_follows_the_written_digits() -> None:
    assert conservation.rounding_allowance([38.1, 4.1]) == pytest.approx(0.1)
    assert conservation.rounding_allowance([5, 0.001]) == pytest.approx(0.5005)
