"""Golden-image comparison with a tolerance, saving the picture and a diff on failure.

KIOSK_UPDATE_GOLDEN=1 writes the current image as the new golden one (then look at it!).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage

GOLDEN = Path(__file__).resolve().parent / "golden"
PIXEL_THRESHOLD = 48  # a channel difference that a visitor would see
MAX_BAD_FRACTION = 0.005  # anti-aliasing and particle jitter stay under this
MAX_MEAN_DIFF = 2.0


def as_array(img: QImage) -> np.ndarray:
    img = img.convertToFormat(QImage.Format.Format_RGB32)
    ptr = img.constBits()
    arr = np.frombuffer(ptr, dtype=np.uint8, count=img.sizeInBytes()).reshape(img.height(), img.bytesPerLine())
    return arr[:, : img.width() * 4].reshape(img.height(), img.width(), 4)[:, :, :3].astype(np.int16)


def compare_golden(img: QImage, name: str, tmp_path: Path) -> None:
    path = GOLDEN / name
    if os.environ.get("KIOSK_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        img.save(str(path))
        return
    if not path.exists():
        pytest.fail(f"no golden image {path}; run with KIOSK_UPDATE_GOLDEN=1 to create it")
    got, ref = as_array(img), as_array(QImage(str(path)))
    assert got.shape == ref.shape, f"{name}: size {got.shape[:2]} differs from the golden {ref.shape[:2]}"
    diff = np.abs(got - ref).max(axis=2)
    bad = (diff > PIXEL_THRESHOLD).mean()
    if bad > MAX_BAD_FRACTION or diff.mean() > MAX_MEAN_DIFF:
        out = tmp_path / f"diff_{name}"
        vis = QImage(img.width(), img.height(), QImage.Format.Format_RGB32)
        vis.fill(QColor(0, 0, 0))
        for y, x in zip(*np.nonzero(diff > PIXEL_THRESHOLD)):
            vis.setPixelColor(int(x), int(y), QColor(255, 0, 255))
        vis.save(str(out))
        img.save(str(tmp_path / f"got_{name}"))
        pytest.fail(f"{name} differs from the golden image in {bad:.2%} of pixels; diff saved to {out}")
