"""`kiosk render`: one PNG per screen (and per detail view) per language, offscreen.

Operators proof a content file without a touch screen; developers look at every layout at
1920x1080, 3840x2160 and 1080x1920. The images also show which text would overflow: a report
line names each label whose text does not fit its box.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea, QWidget

from kiosk.atomic import replacing

SETTLE_S = 2.5  # simulated seconds before a shot, so the particles have filled their paths


@dataclass(frozen=True)
class Overflow:
    screen: str
    text: str
    reason: str

    def __str__(self) -> str:
        short = self.text.replace("\n", " ")[:60]
        return f"{self.screen}: {self.reason}: {short!r}"


def _scroll_area_of(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea) and parent.widget() is not None and parent.widget().isAncestorOf(widget):
            return parent
        parent = parent.parentWidget()
    return None


def overflowing_labels(root: QWidget, screen_name: str) -> list[Overflow]:
    """Visible labels whose text is cut off, squeezed or outside the window."""
    found: list[Overflow] = []
    window_rect = root.window().rect()
    for lbl in root.findChildren(QLabel):
        if not lbl.isVisibleTo(root.window()) or not lbl.text():
            continue
        rect = QRect(lbl.mapTo(root.window(), lbl.rect().topLeft()), lbl.size())
        area = _scroll_area_of(lbl)
        if area is not None:
            # Inside a scrolling screen (larger text): it must fit the scrolled page, not the window.
            page = area.widget()
            rect = QRect(lbl.mapTo(page, lbl.rect().topLeft()), lbl.size())
            if not page.rect().contains(rect):
                found.append(Overflow(screen_name, lbl.text(), "outside its scrolling page"))
                continue
        elif not window_rect.contains(rect):
            found.append(Overflow(screen_name, lbl.text(), "outside the window"))
            continue
        parent = lbl.parentWidget()
        if parent is not None:
            prect = QRect(parent.mapTo(root.window(), parent.rect().topLeft()), parent.size())
            if not prect.contains(rect):
                found.append(Overflow(screen_name, lbl.text(), "outside its panel"))
                continue
        cr = lbl.contentsRect()
        fm = lbl.fontMetrics()
        if lbl.wordWrap():
            needed = lbl.heightForWidth(lbl.width())
            if needed > lbl.height() + 2:
                found.append(Overflow(screen_name, lbl.text(), f"needs {needed}px height, has {lbl.height()}"))
                continue
            if lbl.textFormat() == Qt.TextFormat.RichText:
                continue  # mixed sizes: heightForWidth above already measured the real layout
            # Qt breaks lines at spaces and after hyphens and slashes ("Start-|ups").
            pieces = re.split(r"\s+|(?<=[-/–])", lbl.text())
            longest = max((fm.horizontalAdvance(w) for w in pieces if w), default=0)
            if longest > cr.width() + 1:
                found.append(Overflow(screen_name, lbl.text(), "a word is wider than its box"))
        else:
            lines = lbl.text().split("\n")
            widest = max(fm.horizontalAdvance(line) for line in lines)
            if widest > cr.width() + 1 or fm.height() * len(lines) > cr.height() + 2:
                found.append(Overflow(screen_name, lbl.text(), "does not fit on one line"))
    return found


def _window_rect(w: QWidget) -> QRect:
    return QRect(w.mapTo(w.window(), w.rect().topLeft()), w.size())


def overlapping_widgets(root: QWidget, screen_name: str) -> list[Overflow]:
    """Visible texts, buttons, codes and diagrams that are drawn on top of one another."""
    kinds = (QLabel, QAbstractButton)
    leaves = [
        w
        for w in root.findChildren(QWidget)
        if w.isVisibleTo(root.window())
        and (isinstance(w, kinds) or type(w).__name__ in ("QrCode", "FlowView", "ChartView"))
        and not (isinstance(w, QLabel) and not w.text())
        and not w.property("background")  # drawn behind everything on purpose (the attract loop)
    ]
    rects = []
    for w in leaves:
        rect = _window_rect(w)
        area = _scroll_area_of(w)
        if area is not None:  # only the part the viewport shows can overlap anything
            rect = rect.intersected(_window_rect(area.viewport()))
        if not rect.isEmpty():
            rects.append((rect, w))
    found = []
    for i, (ra, a) in enumerate(rects):
        for rb, b in rects[i + 1 :]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            inter = ra.intersected(rb)
            if inter.width() > 2 and inter.height() > 2:
                text = a.text() if hasattr(a, "text") else type(a).__name__
                other = b.text() if hasattr(b, "text") else type(b).__name__
                found.append(Overflow(screen_name, f"{text} / {other}", "overlaps another element"))
    return found


def clipped_buttons(root: QWidget, screen_name: str) -> list[Overflow]:
    """Visible buttons too narrow or too low for their own label."""
    found = []
    for btn in root.findChildren(QAbstractButton):
        if not btn.isVisibleTo(root.window()) or not btn.text():
            continue
        hint = btn.sizeHint()
        if hint.width() > btn.width() + 1 or hint.height() > btn.height() + 1:
            found.append(Overflow(screen_name, btn.text(), f"button needs {hint.width()}x{hint.height()}px"))
    return found


def hidden_below(root: QWidget, screen_name: str) -> list[Overflow]:
    """Text on a page taller than the screen, below its bottom edge: it needs a scroll a visitor
    may never make (often it is the sources line). Fine with larger text, where scrolling is the
    design."""
    found: list[Overflow] = []
    shell = getattr(root.window(), "shell", None)
    if shell is not None and shell.settings.get("larger_text"):
        return found
    for area in root.window().findChildren(QScrollArea):
        page = area.widget()
        if not area.isVisible() or page is None:
            continue
        bottom = area.viewport().height() - page.y()  # page.y() <= 0 once scrolled
        for lbl in page.findChildren(QLabel):
            if not lbl.isVisibleTo(page) or not lbl.text():
                continue
            y = lbl.mapTo(page, lbl.rect().bottomLeft()).y()
            if y > bottom + 2:
                found.append(Overflow(screen_name, lbl.text(), f"{y - bottom}px below the bottom of the screen"))
    return found


def diagram_label_problems(root: QWidget, screen_name: str) -> list[Overflow]:
    """Node labels in a visible flow diagram that overlap each other or another node's disc."""
    from kiosk.ui.widgets.flow_view import FlowView

    found: list[Overflow] = []
    for view in root.findChildren(FlowView):
        if not view.isVisibleTo(root.window()) or view.width() < 50 or view.height() < 50:
            continue
        shown = view.shown_nodes()
        labels = {k: r for k, r in view.label_rects().items() if k in shown}
        radius = view.node_radius()
        names = {n.id: n.label.get(view.language) for n in view.diagram.nodes}
        ids = list(labels)
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                if labels[a].intersects(labels[b]):
                    found.append(Overflow(screen_name, f"{names[a]} / {names[b]}", "diagram labels overlap"))
            for b in shown:
                if b == a:
                    continue
                x, y = view.sim.nodes_px[b]
                disc = QRectF(x - radius, y - radius, 2 * radius, 2 * radius)
                if labels[a].intersects(disc):
                    found.append(Overflow(screen_name, f"{names[a]} / {names[b]}", "diagram label covers a node"))
    return found


def layout_problems(root: QWidget, screen_name: str) -> list[Overflow]:
    return (
        overflowing_labels(root, screen_name)
        + clipped_buttons(root, screen_name)
        + overlapping_widgets(root, screen_name)
        + hidden_below(root, screen_name)
        + diagram_label_problems(root, screen_name)
    )


def settle_layout() -> None:
    """Let pending layout requests run, as the event loop does between a touch and the next frame."""
    from PySide6.QtWidgets import QApplication

    for _ in range(6):
        QApplication.processEvents()


def shots(shell, clock, window, settle_s: float = SETTLE_S):
    """Yield (name, QImage, problems) for every screen, variant and overlay in the shell's language.

    The overlays a visitor can open (menu, accessibility switches, "Still there?") come last,
    shown over the second screen; their problems are checked inside the overlay only, since
    covering the screen is what an overlay is for.
    """
    from kiosk.ui.shell import Shell

    assert isinstance(shell, Shell)

    def settle() -> None:
        for _ in range(max(1, int(settle_s * 20))):
            clock.advance(0.05)
        settle_layout()

    for index, screen in enumerate(shell.screens):
        shell.go_to(index)
        variants = [("", None), *screen.render_variants()]
        for variant_name, key in variants:
            if key is not None:
                screen.show_variant(key)
            settle()
            name = f"{index:02d}_{screen.screen_id}" + (f"_{variant_name}" if variant_name else "")
            yield name, window.grab().toImage(), layout_problems(window, f"{name}[{shell.lang}]")
        screen.reset()
    shell.go_to(min(2, shell.screen_count - 1))
    overlays = [
        ("menu", shell.open_menu, shell.menu),
        ("access", shell.open_access, shell.access),
        ("idle", lambda: shell._show_idle_warning(int(shell.idle.countdown_s)), shell.idle_overlay),
    ]
    for name, open_overlay, overlay in overlays:
        open_overlay()
        settle()
        yield f"99_{name}", window.grab().toImage(), layout_problems(overlay, f"{name}[{shell.lang}]")
        overlay.hide()


def dispose(window: QWidget) -> None:
    """Delete a window (or any widget) and everything in it now, not at the next event loop turn.

    Benchmarks and renders run no event loop, where deleteLater alone would never happen, and the
    interpreter must not tear Qt down under a live window.

    pyqtgraph items that outlive their view at exit raise from geometry callbacks; deleting the
    window while the application still runs avoids that.
    """
    import gc

    import shiboken6

    window.close()
    if shiboken6.isValid(window):
        shiboken6.delete(window)
    gc.collect()


def main(args) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from kiosk.content.loader import load
    from kiosk.locate import find_content
    from kiosk.ui.app import build_window, make_application, parse_size
    from kiosk.ui.clock import AnimationClock

    app = make_application()
    path = find_content(args.content)
    result = load(path)
    for problem in result.problems:
        print(problem.headline(), file=sys.stderr)
    if not result.ok:
        print(f"render: {path} has errors; run `kiosk check {path}`", file=sys.stderr)
        return 1
    size = parse_size(args.size)
    clock = AnimationClock(parent=app)
    window = build_window(result, clock)
    window.resize(*size)
    window.show()
    shell = window.shell
    settings = {
        "high_contrast": args.high_contrast,
        "larger_text": args.large_text,
        "reduced_motion": args.reduced_motion,
    }
    for name, on in settings.items():
        shell.set_setting(name, on)
    suffix = "".join(f"_{n}" for n, on in settings.items() if on)
    langs = [args.lang] if args.lang else result.exhibition.languages.available
    args.out.mkdir(parents=True, exist_ok=True)
    written, problems = 0, []
    for lang in langs:
        shell.set_language(lang)
        for name, image, overflows in shots(shell, clock, window):
            file = args.out / f"{name}_{lang}_{size[0]}x{size[1]}{suffix}.png"
            with replacing(file) as tmp:  # a killed render leaves no half PNG for a golden compare
                image.save(str(tmp), "PNG")
            written += 1
            problems.extend(overflows)
    shell.shutdown()
    dispose(window)
    for overflow in problems:
        print(f"warning: text does not fit: {overflow}", file=sys.stderr)
    print(f"wrote {written} images to {args.out} ({len(problems)} text overflows)")
    return 0
