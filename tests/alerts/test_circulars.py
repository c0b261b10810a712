"""Circulated notices (通报): written by the discipline staff, approved by a principal leader, published to the
institutions, departments, roles and people named; each recipient owes reading it by a day counted on the working-day
calendar, until they open it; the sending side sees who has read it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alerts import circulars
from alerts.choices import CircularKind, CircularStatus
from alerts.models import Circular, CircularRecipient, Notification
from alerts.queries import visible_circulars
from integrity import obligations
from integrity.choices import Role
from integrity.models import Officer

# The clock is pinned to Tuesday 29 September 2026: the notice's three working days run over the National Day break.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-09-29")]


def write(world, writer=None, **changes) -> Circular:
    fields = {
        "kind": CircularKind.CRITICISM, "number": "江检纪通〔2026〕3号", "title": "关于节前违规接受宴请问题的通报",
        "body": "经查，……\n各部门要引以为戒。", "copy_to": "市纪委监委驻院纪检监察组",
        "to_departments": [world.prosecution], "to_roles": [Role.DEPARTMENT_HEAD], "to_officers": [world.xs_officer],
    }  # fmt: skip
    return circulars.write_circular(None, acting_user=writer or world.inspector, **{**fields, **changes})


def to_do(officer: Officer, code: str) -> list:
    return [item for kind, items, _n in obligations.to_dos(officer) for item in items if kind.code == code]


def test_a_notice_goes_through_its_leader_to_exactly_the_recipients_it_names_who_owe_reading_it(world, client_for):
    circular = write(world)
    assert not visible_circulars(world.officer).exists()  # a draft is the sending side's
    circulars.submit_circular(circular, acting_user=world.inspector)
    assert [item.url for item in to_do(world.chief, "alerts.circular_approval")] == [circular.get_absolute_url()]
    assert not to_do(world.officer, "alerts.circular_reading")

    circulars.approve_circular(circular, acting_user=world.chief)
    circular.refresh_from_db()
    assert (circular.status, circular.approved_by) == (CircularStatus.PUBLISHED, world.chief)
    # Counted independently: the department's people, every department head in the city and below, one person.
    expected = set(Officer.objects.filter(department=world.prosecution).values_list("username", flat=True))
    expected |= {world.depthead.username, world.dh_head.username, world.xs_officer.username}
    received = set(circular.recipients.values_list("officer__username", flat=True))
    assert received == expected and world.inspector.username not in received
    # Wed 30 September (1), 1–7 October off, Thu 8 (2), Fri 9 (3): the alert policy counts working days.
    assert circular.read_by == datetime.date(2026, 10, 9)
    assert Notification.objects.filter(recipient=world.officer, occasion=f"circular:{circular.pk}").exists()
    owed = to_do(world.officer, "alerts.circular_reading")
    assert [(item.url, item.due_on) for item in owed] == [(circular.get_absolute_url(), datetime.date(2026, 10, 9))]
    assert not to_do(world.chief, "alerts.circular_approval")

    # The inspector sees nobody has read it; the officer opens it, and it has been read — once.
    page = client_for(world.inspector).get(circular.get_absolute_url()).content.decode()
    assert f'data-receipt="{world.officer.username}" data-read="no"' in page
    response = client_for(world.officer).get(circular.get_absolute_url())
    assert response.status_code == 200 and "节前违规接受宴请" in response.content.decode()
    assert response.context["receipts"] is None  # a recipient does not see the others' receipts
    first = CircularRecipient.objects.get(circular=circular, officer=world.officer).read_at
    assert first is not None
    client_for(world.officer).get(circular.get_absolute_url())
    assert CircularRecipient.objects.get(circular=circular, officer=world.officer).read_at == first
    assert not to_do(world.officer, "alerts.circular_reading")
    page = client_for(world.inspector).get(circular.get_absolute_url()).content.decode()
    assert f'data-receipt="{world.officer.username}" data-read="yes"' in page
    assert f'data-receipt="{world.colleague.username}" data-read="no"' in page


def test_an_unread_notice_waits_on_its_reader_from_its_day(world):
    circular = write(world)
    circulars.submit_circular(circular, acting_user=world.inspector)
    circulars.approve_circular(circular, acting_user=world.chief)
    kind = next(kind for kind in obligations.kinds() if kind.code == "alerts.circular_reading")
    waiting = {item.actor_id: item.since for item in kind.waiting()}
    assert waiting[world.officer.pk] == datetime.date(2026, 10, 9)
    circulars.mark_read(circular, world.officer)
    assert world.officer.pk not in {item.actor_id for item in kind.waiting()}


def test_only_a_leader_of_the_body_approves_and_a_returned_notice_goes_back_to_its_writer(world):
    circular = write(world)
    with pytest.raises(ValidationError):
        circulars.approve_circular(circular, acting_user=world.chief)  # not submitted yet
    circulars.submit_circular(circular, acting_user=world.inspector)
    for outsider in (world.inspector, world.dh_inspector, world.depthead):
        with pytest.raises(PermissionDenied):
            circulars.approve_circular(circular, acting_user=outsider)
    with pytest.raises(ValidationError):
        circulars.return_circular(circular, reason=" ", acting_user=world.chief)
    circulars.return_circular(circular, reason="事实部分需补充", acting_user=world.chief)
    circular.refresh_from_db()
    assert circular.status == CircularStatus.RETURNED and not circular.recipients.exists()
    assert Notification.objects.filter(recipient=world.inspector, text__contains="事实部分需补充").exists()
    circulars.write_circular(circular, acting_user=world.inspector, title="关于节前违规接受宴请问题的通报（修改）")
    with pytest.raises(ValidationError):
        circulars.write_circular(circular, acting_user=world.chief, title="改")  # only its writer
    circulars.submit_circular(circular, acting_user=world.inspector)
    assert circular.history.first().history_user == world.inspector
    with pytest.raises(ValidationError):
        circulars.write_circular(circular, acting_user=world.inspector, title="审批中不能改")


def test_a_principal_leaders_own_notice_is_published_when_submitted(world):
    circular = write(world, writer=world.chief, to_departments=[], to_roles=[], to_officers=[world.officer])
    circulars.submit_circular(circular, acting_user=world.chief)
    circular.refresh_from_db()
    assert circular.status == CircularStatus.PUBLISHED and circular.approved_by == world.chief
    assert list(circular.recipients.values_list("officer", flat=True)) == [world.officer.pk]


def test_a_notice_reaching_nobody_is_not_submitted(world):
    circular = write(world, to_departments=[], to_roles=[], to_officers=[])
    with pytest.raises(ValidationError):
        circulars.submit_circular(circular, acting_user=world.inspector)
    assert Circular.objects.get(pk=circular.pk).status == CircularStatus.DRAFT


def test_the_form_names_people_by_user_name_and_refuses_unknown_ones_writing_nothing(world, client_for):
    url = reverse("alerts:circular_new")
    assert client_for(world.officer).get(url).status_code == 404  # an officer does not write notices
    data = {
        "kind": CircularKind.COMMENDATION, "number": "", "title": "表扬通报", "body": "……", "copy_to": "",
        "to_departments": [world.investigation.pk], "people": "officer，colleague nobody",
    }  # fmt: skip
    response = client_for(world.inspector).post(url, data)
    assert response.status_code == 200 and "nobody" in response.context["form"].errors["people"][0]
    assert not Circular.objects.exists()
    data = {**data, "people": "officer，colleague", "to_roles": ["deputy_leader"]}
    response = client_for(world.inspector).post(url, data)
    circular = Circular.objects.get()
    assert response.status_code == 302 and response["Location"] == circular.get_absolute_url()
    assert set(circular.to_officers.values_list("username", flat=True)) == {"officer", "colleague"}
    assert circular.to_roles == ["deputy_leader"] and circular.institution == world.city
    assert client_for(world.xs_inspector).get(circular.get_absolute_url()).status_code == 404


def test_the_print_layout_carries_the_official_parts(world, client_for):
    circular = write(world)
    circulars.submit_circular(circular, acting_user=world.inspector)
    circulars.approve_circular(circular, acting_user=world.chief)
    page = client_for(world.officer).get(reverse("alerts:circular_print", args=[circular.pk])).content.decode()
    for part in ("江州市人民检察院", "江检纪通〔2026〕3号", "关于节前违规接受宴请问题的通报", "2026年9月29日",
                 "市纪委监委驻院纪检监察组"):  # fmt: skip
        assert part in page


# --- a notice to many: delivered by a job -------------------------------------------------------------------


def test_a_notice_to_many_is_delivered_by_a_job_whose_progress_the_sender_sees(
    world, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(circulars, "DELIVERED_AT_ONCE", 2)
    monkeypatch.setattr(circulars, "CHUNK", 2)
    circular = write(world, to_roles=[], to_officers=[], to_departments=[], to_institutions=[world.city, world.dh])
    circulars.submit_circular(circular, acting_user=world.inspector)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        circulars.approve_circular(circular, acting_user=world.chief)
    circular.refresh_from_db()
    expected = Officer.objects.filter(institution__in=[world.city, world.dh]).exclude(pk=world.inspector.pk).count()
    assert circular.status == CircularStatus.PUBLISHED and circular.recipient_count == expected > 2
    assert not circular.recipients.exists() and circular.delivered_at is None  # nothing yet: the job delivers
    page = client_for(world.inspector).get(circular.get_absolute_url()).content.decode()
    assert 'data-testid="delivery"' in page and f"已送达 0 / {expected} 人" in page

    polled = client_for(world.inspector).get(circular.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert polled.content.decode().strip().startswith('<section id="delivery"')  # the progress alone, polled
    for callback in queued:
        callback()  # the job (eager in the tests)
    polled = client_for(world.inspector).get(circular.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert polled["HX-Refresh"] == "true"  # delivered: the page is shown again with its receipts
    circular.refresh_from_db()
    assert circular.recipients.count() == expected and circular.delivered_at is not None
    assert Notification.objects.filter(occasion=f"circular:{circular.pk}").count() == expected
    circulars.deliver(circular)  # run again (a job delivered twice): nobody has it twice
    assert circular.recipients.count() == expected
    assert Notification.objects.filter(occasion=f"circular:{circular.pk}").count() == expected
    page = client_for(world.inspector).get(circular.get_absolute_url()).content.decode()
    assert 'data-testid="delivery"' not in page and 'data-testid="receipts"' in page


def test_a_delivery_whose_job_was_lost_is_taken_up_by_the_sweep(world, monkeypatch, clock):
    monkeypatch.setattr(circulars, "DELIVERED_AT_ONCE", 2)
    circular = write(world, to_roles=[], to_officers=[], to_departments=[], to_institutions=[world.city])
    circulars.submit_circular(circular, acting_user=world.inspector)
    circulars.approve_circular(circular, acting_user=world.chief)  # its job never runs: the test keeps no callback
    published = Circular.objects.get(pk=circular.pk).published_at
    assert circulars.deliver_pending(published + datetime.timedelta(minutes=4)) == 0  # maybe still running
    assert circulars.deliver_pending(published + datetime.timedelta(minutes=6)) == 1
    circular.refresh_from_db()
    assert circular.delivered_at is not None and circular.recipients.count() == circular.recipient_count
    assert circulars.deliver_pending(published + datetime.timedelta(minutes=12)) == 0


def test_the_receipts_of_a_notice_to_many_are_counted_by_department(world, client_for, monkeypatch):
    from alerts import circular_views

    monkeypatch.setattr(circular_views, "RECEIPTS_LISTED", 1)
    circular = write(world)
    circulars.submit_circular(circular, acting_user=world.inspector)
    circulars.approve_circular(circular, acting_user=world.chief)
    client_for(world.officer).get(circular.get_absolute_url())  # read by one
    page = client_for(world.inspector).get(circular.get_absolute_url()).content.decode()
    table = page[page.index('data-testid="receipts-by-department"') :]
    assert "公诉处" in table and page.count("data-receipt=") == 1
    total = Circular.objects.get(pk=circular.pk).recipient_count
    assert f"已阅 1 / {total} 人" in page
