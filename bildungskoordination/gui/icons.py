"""The bundled icon set (resources/icons/: Lucide SVGs, ISC licence) – one place that turns a role such as
``"save"`` into a QIcon. Roles and files are data (resources/icons/icons.toml); a missing role or file is a
programming error and raises KeyError/FileNotFoundError at once rather than showing an empty button."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from bildungskoordination.resources import load_toml, resource_path

SIZES = (16, 20, 24, 32, 48)


@cache
def _roles() -> dict[str, str]:
    return {str(role): str(name) for role, name in load_toml("icons", "icons.toml").items()}


def roles() -> list[str]:
    return list(_roles())


def svg_text(role: str) -> str:
    return resource_path("icons", _roles()[role] + ".svg").read_text(encoding="utf-8")


def _pixmap(svg: str, color: QColor, size: int, ratio: float) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", color.name()).encode("utf-8")))
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pixmap


@cache
def icon(role: str) -> QIcon:
    """The icon of ``role`` in the palette's text colour (disabled and highlighted too), sharp at every size."""
    svg = svg_text(role)
    palette = QGuiApplication.palette()
    app = QGuiApplication.instance()
    ratio = app.devicePixelRatio() if isinstance(app, QGuiApplication) else 1.0
    result = QIcon()
    normal = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    selected = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText)
    for size in SIZES:
        result.addPixmap(_pixmap(svg, normal, size, ratio), QIcon.Mode.Normal)
        result.addPixmap(_pixmap(svg, disabled, size, ratio), QIcon.Mode.Disabled)
        result.addPixmap(_pixmap(svg, selected, size, ratio), QIcon.Mode.Selected)  # on a highlighted row
    return result
