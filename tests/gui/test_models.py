"""Every table model passes Qt's model tester."""

from datetime import date, timedelta

from bildungskoordination.gui.followups.model import FollowUpModel
from bildungskoordination.gui.persons.contacts_model import ContactHistoryModel
from bildungskoordination.gui.persons.list_model import PersonListModel


def test_person_list_model(qtmodeltester, services, some_people):
    model = PersonListModel(services)
    model.reload()
    assert model.rowCount() == 3
    qtmodeltester.check(model, force_py=True)
    model.set_filter("Muhammad")
    assert model.rowCount() == 1
    qtmodeltester.check(model, force_py=True)


def test_person_list_sorts_in_the_database(services, some_people):
    from PySide6.QtCore import Qt

    model = PersonListModel(services)
    model.reload()
    names = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert names[0].startswith("Al-Hassan")
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 1).data().startswith("Tesfay")
    model.sort(3, Qt.SortOrder.AscendingOrder)  # birth
    assert model.index(0, 3).data() == "22.07.1979"


def test_contact_history_model(qtmodeltester, services, some_people):
    model = ContactHistoryModel()
    model.set_rows(services.contacts.for_person(some_people[1]))
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, 2).data() == "Arbeit"


def test_followup_model_puts_today_first(qtmodeltester, services, some_people):
    from bildungskoordination.people.records import ContactData

    today = date.today()
    services.contacts.add(some_people[0], ContactData(topics=["schule"], followup_date=today))
    services.contacts.add(some_people[2], ContactData(topics=["schule"], followup_date=today + timedelta(days=3)))
    model = FollowUpModel()
    model.set_rows(services.contacts.due_followups(), today)
    qtmodeltester.check(model, force_py=True)
    whens = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert whens == ["heute", "seit 2 Tagen überfällig", "in 3 Tagen"]
