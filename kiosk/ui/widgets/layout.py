"""Layout helpers that switch between landscape (side by side) and portrait (stacked)."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QGridLayout, QLayout, QSizePolicy, QWidget


def clear_grid(grid: QGridLayout) -> None:
    while grid.count():
        grid.takeAt(0)


def fill_grid(grid: QGridLayout, widgets: list[QWidget], columns: int) -> None:
    """Place widgets row by row in `columns` equal columns (re-run after an orientation change)."""
    clear_grid(grid)
    columns = max(1, columns)
    for i, w in enumerate(widgets):
        grid.addWidget(w, i // columns, i % columns)
    for c in range(grid.columnCount()):
        grid.setColumnStretch(c, 1 if c < columns else 0)


def set_direction(box: QBoxLayout, portrait: bool) -> None:
    box.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)


def set_spacing(layout: QLayout, spacing: int, margin: int | None = None) -> None:
    layout.setSpacing(spacing)
    if margin is not None:
        layout.setContentsMargins(margin, margin, margin, margin)


def fill_leftover_space(widget: QWidget) -> QWidget:
    """A diagram or chart takes the room the text leaves, never more than that.

    Its own size hint is ignored, so it cannot push a screen past the window (and into
    scrolling); its minimum height still keeps it visible.
    """
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
    return widget
