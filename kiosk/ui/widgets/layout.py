"""Layout helpers that switch between landscape (side by side) and portrait (stacked)."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QLayout, QSizePolicy, QWidget


def empty_layout(box: QLayout) -> None:
    """Take every item out of `box`, keeping its widgets and sub-layouts (to be placed again).

    Qt hands a taken item to the caller to delete, and PySide leaves it to C++: taken and
    dropped, each slot a widget or a stretch sat in leaked at every re-layout (orientation,
    text size, reload). They are deleted here. A sub-layout is an object of its own that the
    caller still uses, and is kept.
    """
    while box.count():
        item = box.takeAt(0)
        if item is not None and item.layout() is None:
            shiboken6.delete(item)


def fill_grid(grid: QGridLayout, widgets: list[QWidget], columns: int) -> None:
    """Place widgets row by row in `columns` equal columns (re-run after an orientation change)."""
    empty_layout(grid)
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
