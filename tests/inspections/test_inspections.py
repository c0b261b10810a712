"""Inspections (督察): a plan whose checklist is drawn from the published risk points in scope; each finding becomes
a rectification obligation for whoever answers for its department or officer, closed when they record what was done;
the leader owes the report by the plan's last day; the report prints as a PDF."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from alerts.models import AlertPolicy, Notification
from inspections import actions
from inspections.choices import InspectionStatus, ItemResult
from inspections.models import ChecklistItem, Evidence, Finding, Inspection
from integrity import obligations
from risks.models import RiskPoint
from tests.factories import PostFactory
from tests.risks.records import post_risk

# The clock is pinned to Monday 2 November 2026; the inspection runs this month and findings are due ten calendar
# days after they are recorded.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-02")]


def owed(officer, code: str) -> list:
    return [item for kind, items, _n in obligations.to_dos(officer) for item in items if kind.code == code]


def waiting(code: str) -> dict:
    kind = next(kind for kind in obligations.kinds() if kind.code == code)
    return {(item.record_id, item.actor_id): item.since for item in kind.waiting()}


@pytest.fixture
def catalog(world):
    """Published risk points in the prosecution section (one high, one low) and the office; one still a draft."""
    post = PostFactory(department=world.prosecution, name="检察官")
    low = post_risk(post, "案卷保管不善", likelihood=1, impact=1)
    high = post_risk(post, "违规会见律师", likelihood=5, impact=5)
    post_risk(PostFactory(department=world.office, name="文书"), "泄露案情")
    post_risk(post, "尚未发布的风险", publish=False)
    AlertPolicy.objects.create(institution=world.city, finding_days=10, days_counted="calendar")
    return high, low


def plan(client, world, **extra):
    data = {
        "kind": "routine", "title": "十一月例行督察", "starts_on": "2026-11-02", "ends_on": "2026-11-20",
        "departments": [world.prosecution.pk, world.dh_officer.department_id], "leader_name": "inspector",
        "team_names": "dh_inspector", **extra,
    }  # fmt: skip
    return client.post(reverse("inspections:new"), data)


def test_a_finding_becomes_the_owners_obligation_and_closes_when_rectified(world, client_for, catalog):
    high, low = catalog
    inspector = client_for(world.inspector)
    response = plan(inspector, world)
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == inspection.get_absolute_url()
    expected = RiskPoint.objects.filter(
        status="published", department__in=[world.prosecution, world.dh_officer.department]
    )
    items = list(inspection.items.all())
    assert [i.risk_point_id for i in items] == [high.pk, low.pk]  # highest grade first
    assert len(items) == expected.count()
    assert set(inspection.team.all()) == {world.dh_inspector}
    [report] = owed(world.inspector, "inspections.report")
    assert report.due_on == datetime.date(2026, 11, 20)
    assert Notification.objects.filter(recipient=world.dh_inspector, url=inspection.get_absolute_url()).exists()

    # The first item: nothing found. The second: a problem about one officer, with a photograph of the register.
    assert inspector.post(reverse("inspections:item", args=[items[1].pk]), {"problem": ""}).status_code == 302
    photo = SimpleUploadedFile("会见登记簿.jpg", b"\xff\xd8jpeg", content_type="image/jpeg")
    response = client_for(world.dh_inspector).post(
        reverse("inspections:item", args=[items[0].pk]),
        {"problem": "会见律师未登记", "officer_name": "officer", "evidence": [photo]},
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert (finding.item, finding.officer, finding.owner, finding.due_on) == (
        items[0], world.officer, world.depthead, datetime.date(2026, 11, 12),
    )  # fmt: skip
    assert [(e.filename, bytes(e.content)) for e in finding.evidence.all()] == [("会见登记簿.jpg", b"\xff\xd8jpeg")]
    assert [i.result for i in inspection.items.all()] == [ItemResult.FINDING, ItemResult.CLEAR]
    [item] = owed(world.depthead, "inspections.rectification")
    assert (item.url, item.due_on, item.subject) == (finding.get_absolute_url(), finding.due_on, "李明")
    assert not owed(world.officer, "inspections.rectification")  # never the officer it concerns
    assert waiting("inspections.rectification") == {(finding.pk, world.depthead.pk): datetime.date(2026, 11, 12)}

    # Only the owner rectifies; then the finding closes and leaves their to-dos.
    url = finding.get_absolute_url()
    assert client_for(world.officer).post(url, {"text": "已补登"}).status_code == 404
    assert 'data-testid="rectify-form"' in client_for(world.depthead).get(url).content.decode()
    client_for(world.depthead).post(url, {"text": "已补登，并组织全处学习会见规定"})
    finding.refresh_from_db()
    assert not finding.is_open and finding.rectified_by == world.depthead
    assert not owed(world.depthead, "inspections.rectification")
    assert not waiting("inspections.rectification")
    assert Notification.objects.filter(recipient=world.inspector, url=url).exists()


def test_the_leader_reports_once_every_item_is_checked_and_the_report_prints(world, client_for, catalog):
    plan(client_for(world.inspector), world)
    inspection = Inspection.objects.get()
    first, second = inspection.items.all()
    actions.check_item(first, acting_user=world.inspector, problem="会见律师未登记")
    report = reverse("inspections:report", args=[inspection.pk])
    assert client_for(world.dh_inspector).post(report, {"text": "总体良好"}).status_code == 404  # not the leader
    client_for(world.inspector).post(report, {"text": "总体良好"})
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.PLANNED  # an item is still to check
    assert waiting("inspections.report") == {(inspection.pk, world.inspector.pk): datetime.date(2026, 11, 20)}

    actions.check_item(second, acting_user=world.inspector)
    client_for(world.inspector).post(report, {"text": "会见管理存在漏洞，限期整改。"})
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.REPORTED and inspection.summary.startswith("会见管理")
    assert not owed(world.inspector, "inspections.report") and not waiting("inspections.report")
    with pytest.raises(ValidationError):  # the checklist is closed
        actions.record_finding(inspection, department=world.prosecution, text="又一问题", acting_user=world.inspector)

    response = client_for(world.chief).get(reverse("inspections:report_pdf", args=[inspection.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).replace(" ", "")
    for words in ("江州市人民检察院", "十一月例行督察", "会见律师未登记", "何琳", "会见管理存在漏洞"):
        assert words in text.replace("\n", ""), words


def test_a_finding_about_the_head_goes_to_the_deputy_in_charge_and_follows_role_changes(
    world, django_capture_on_commit_callbacks
):
    from integrity.actions import revoke_role

    inspection = actions.plan_inspection(
        acting_user=world.inspector, kind="ad_hoc", title="专项", leader=world.inspector,
        starts_on=datetime.date(2026, 11, 2), ends_on=datetime.date(2026, 11, 6), departments=[world.prosecution],
    )  # fmt: skip
    about_head = actions.record_finding(
        inspection, department=world.prosecution, officer=world.depthead, text="处长违规", acting_user=world.inspector
    )
    about_department = actions.record_finding(
        inspection, department=world.prosecution, text="制度未上墙", acting_user=world.inspector
    )
    assert (about_head.owner, about_department.owner) == (world.deputy, world.depthead)
    with django_capture_on_commit_callbacks(execute=True):
        revoke_role(world.depthead.role_assignments.get(), acting_user=None)
    about_department.refresh_from_db()
    assert about_department.owner == world.deputy  # the head's department now answered for by the deputy


def test_plans_and_findings_stay_in_scope_and_bad_input_writes_nothing(world, client_for, catalog):
    city_department = world.prosecution.pk
    response = client_for(world.dh_inspector).post(
        reverse("inspections:new"),
        {"kind": "routine", "title": "越权", "starts_on": "2026-11-02", "ends_on": "2026-11-20",
         "departments": [city_department], "leader_name": "dh_inspector"},
    )  # fmt: skip
    assert response.status_code == 200 and not Inspection.objects.exists()  # the city is above the district
    assert client_for(world.officer).get(reverse("inspections:new")).status_code == 404
    response = plan(client_for(world.inspector), world, ends_on="2026-10-30")
    assert response.status_code == 200 and not Inspection.objects.exists()
    response = plan(client_for(world.inspector), world, team_names="nobody")
    assert "nobody" in response.content.decode() and not Inspection.objects.exists()

    plan(client_for(world.inspector), world)
    inspection = Inspection.objects.get()
    item = inspection.items.first()
    url = reverse("inspections:item", args=[item.pk])
    assert client_for(world.chief).post(url, {"problem": "x"}).status_code == 404  # sees it, is not on the team
    script = SimpleUploadedFile("证据.html", b"<script>alert(1)</script>", content_type="text/html")
    response = client_for(world.inspector).post(url, {"problem": "问题", "evidence": [script]})
    assert response.status_code == 200
    assert not Finding.objects.exists() and not Evidence.objects.exists()
    assert ChecklistItem.objects.get(pk=item.pk).result == ItemResult.PENDING
    assert client_for(world.xs_inspector).get(inspection.get_absolute_url()).status_code == 404
    assert client_for(world.chief).get(inspection.get_absolute_url()).status_code == 200


def test_evidence_downloads_as_an_attachment(world, client_for, catalog):
    plan(client_for(world.inspector), world)
    inspection = Inspection.objects.get()
    finding = actions.record_finding(
        inspection, department=world.prosecution, text="台账缺失", acting_user=world.inspector,
        files=[SimpleUploadedFile("台账.pdf", b"%PDF-1.4 x", content_type="application/pdf")],
    )  # fmt: skip
    evidence = finding.evidence.get()
    response = client_for(world.depthead).get(reverse("inspections:evidence", args=[evidence.pk]))
    assert response.status_code == 200 and response.content == b"%PDF-1.4 x"
    assert response["Content-Disposition"].startswith("attachment;") and response["Content-Type"] == "application/pdf"
    assert client_for(world.officer).get(reverse("inspections:evidence", args=[evidence.pk])).status_code == 404


def test_the_bodys_own_risk_points_are_checked_and_their_findings_owed_by_its_principal_leader(world, client_for):
    from risks import actions as risk_actions
    from risks.choices import RiskScope

    body_level = risk_actions.save_risk_point(
        None, institution=world.city,
        data={"scope": RiskScope.INSTITUTION, "category": risk_actions.ensure_categories(["重大决策"])["重大决策"],
              "description": "“三重一大”事项未经集体研究", "likelihood": 3, "impact": 5, "measures": "党组会议事规则"},
        acting_user=None,
    )  # fmt: skip
    for step in ("submit", "approve", "publish"):
        risk_actions.move_risk_point(body_level, step, acting_user=None)
    post_risk(PostFactory(department=world.prosecution, name="检察官"), "违规会见律师")
    inspector = client_for(world.inspector)
    plan(inspector, world)
    inspection = Inspection.objects.get()
    first, *rest = inspection.items.all()
    assert (first.risk_point, first.department, first.institution) == (body_level, None, world.city)  # first
    assert [i.department for i in rest] == [world.prosecution]  # the district body has no body-level point

    page = inspector.get(first.get_absolute_url()).content.decode()
    assert "江州市人民检察院（单位层面）" in page
    inspector.post(first.get_absolute_url(), {"problem": "2026年两项采购未经党组集体研究"})
    finding = Finding.objects.get()
    assert (finding.department, finding.institution, finding.owner) == (None, world.city, world.chief)
    assert [o.url for o in owed(world.chief, "inspections.rectification")] == [finding.get_absolute_url()]
    assert "江州市人民检察院（单位层面）" in inspector.get(inspection.get_absolute_url()).content.decode()
