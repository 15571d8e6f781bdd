"""The bundled icon set (resources/icons/: Lucide SVGs, ISC licence) – one place that turns a role such as
``"save"`` into a QIcon. Roles and files are data (resources/icons/icons.toml); a missing role or file is a
programming error and raises KeyError/FileNotFoundError at once rather than showing an empty button."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
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


class _SvgIconEngine(QIconEngine):
    """Renders the SVG in the palette's colour for a mode on demand, once per size: a start that shows
    twenty icons renders the few pixmaps it paints, not every size and mode of each (≈ 25 ms, issue 13)."""

    def __init__(self, svg: str, colors: dict[QIcon.Mode, QColor]) -> None:
        super().__init__()
        self._svg = svg
        self._colors = colors
        self._pixmaps: dict[tuple[int, int, QIcon.Mode, float], QPixmap] = {}

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:  # noqa: ARG002
        app = QGuiApplication.instance()
        ratio = app.devicePixelRatio() if isinstance(app, QGuiApplication) else 1.0
        return self._render(size, mode, ratio)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:  # noqa: N802, ARG002
        return self._render(size, mode, scale)

    def _render(self, size: QSize, mode: QIcon.Mode, ratio: float) -> QPixmap:
        mode = mode if mode in self._colors else QIcon.Mode.Normal  # Active (hover) looks like Normal
        side = min(size.width(), size.height())
        key = (side, side, mode, ratio)
        cached = self._pixmaps.get(key)
        if cached is None:
            cached = self._pixmaps[key] = _pixmap(self._svg, self._colors[mode], side, ratio)
        return QPixmap(cached)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        painter.drawPixmap(rect, self._render(rect.size(), mode, ratio))

    def availableSizes(self, mode: QIcon.Mode = QIcon.Mode.Normal,  # noqa: N802
                       state: QIcon.State = QIcon.State.Off) -> list[QSize]:  # noqa: ARG002
        return [QSize(size, size) for size in SIZES]

    def isNull(self) -> bool:  # noqa: N802
        return False

    def clone(self) -> QIconEngine:
        engine = _SvgIconEngine(self._svg, self._colors)
        _engines.append(engine)
        return engine


_engines: list[_SvgIconEngine] = []  # Python owns the engines; QIcon only points at them


@cache
def icon(role: str) -> QIcon:
    """The icon of ``role`` in the palette's text colour (disabled and highlighted too), sharp at every size."""
    palette = QGuiApplication.palette()
    colors = {
        QIcon.Mode.Normal: palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText),
        QIcon.Mode.Disabled: palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText),
        QIcon.Mode.Selected: palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText),
    }
    engine = _SvgIconEngine(svg_text(role), colors)
    _engines.append(engine)
    return QIcon(engine)
