"""The bundled icon set: every role has its SVG, every SVG is used, the licence travels with them, and the
areas and main actions show an icon."""

from __future__ import annotations

import tomllib

from bildungskoordination.resources import resource_path


def test_every_role_has_its_svg_and_every_svg_a_role_and_the_licence_is_there():
    roles = tomllib.loads(resource_path("icons", "icons.toml").read_text(encoding="utf-8"))
    files = {p.stem for p in resource_path("icons").glob("*.svg")}
    assert set(roles.values()) == files
    licence = resource_path("icons", "LICENSE").read_text(encoding="utf-8")
    assert "ISC License" in licence and "Lucide Contributors" in licence


def test_every_icon_renders(qapp):
    from bildungskoordination.gui.icons import icon, roles

    for role in roles():
        pixmap = icon(role).pixmap(24, 24)
        assert not pixmap.isNull(), role
        image = pixmap.toImage()
        assert any(image.pixelColor(x, y).alpha() for x in range(image.width()) for y in range(image.height())), role


def test_areas_and_main_actions_have_icons(window):
    assert all(not window.nav.item(i).icon().isNull() for i in range(window.nav.count()))
    for action in (window.action_new_person, window.action_new_contact, window.action_save, window.action_search,
                   window.action_settings, window.action_lock):
        assert not action.icon().isNull(), action.text()
    assert window.toolbar.actions()
    assert not window.persons.new_button.icon().isNull()
    assert not window.courses.import_button.icon().isNull()
    assert not window.monitoring.export_button.icon().isNull()
