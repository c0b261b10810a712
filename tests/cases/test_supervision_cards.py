"""The supervision card (廉政监督卡): each party of a case is handed a card naming the handlers, the rules they keep
and where to report — an A5 PDF in Chinese, numbered by the institution per year, the same number when reprinted."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases.actions import PartyData
from cases.choices import PartyRole
from cases.models import CasePolicy, SupervisionCard
from cases.notices import issue_card
from tests.cases.records import make_case

# The clock is pinned: cards are numbered by the year of the day they are first printed.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (420, 595)  # A5 in points
    return reader.pages[0].extract_text().replace(" ", "").replace("\n", "")


def test_a_partys_card_names_the_handlers_and_where_to_report_and_keeps_its_number(world, client_for):
    parties = [PartyData(PartyRole.PARTY, "钱某某"), PartyData(PartyRole.AGENT, "孙律师", "江州律师事务所")]
    case = make_case(world.prosecution, [world.officer, world.colleague], parties=parties)
    CasePolicy.objects.create(institution=world.city, report_channels="纪检监察组电话：0571-12345678")
    party = case.parties.get(name="钱某某")
    page = client_for(world.officer).get(case.get_absolute_url()).content.decode()
    url = reverse("cases:card_pdf", args=[case.pk, party.pk])
    assert url in page

    printed = client_for(world.officer).get(url)
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    card = SupervisionCard.objects.get()
    assert (card.year, card.serial, card.printed_by) == (2026, 1, world.officer)
    text = text_of(printed.content)
    for phrase in ("廉政监督卡", "〔2026〕000001", world.city.name, case.number, "钱某某", "李明", "王芳",
                   "0571-12345678", "宴请"):  # fmt: skip
        assert phrase in text, phrase
    # Printed again by someone else: the same card; another party of another case takes the next number.
    assert client_for(world.depthead).get(url).status_code == 200
    assert SupervisionCard.objects.count() == 1
    other = make_case(world.investigation, [world.colleague], parties=[PartyData(PartyRole.PARTY, "周某")])
    second = issue_card(other, other.parties.get(), acting_user=world.colleague)
    assert second.serial == 2 and second.number == "〔2026〕000002"


def test_a_card_is_for_a_party_of_a_case_one_may_see(world, client_for):
    case = make_case(world.prosecution, [world.officer], parties=[PartyData(PartyRole.PARTY, "钱某某")])
    other = make_case(world.investigation, [world.colleague], parties=[PartyData(PartyRole.PARTY, "周某")])
    url = reverse("cases:card_pdf", args=[case.pk, other.parties.get().pk])
    assert client_for(world.officer).get(url).status_code == 404  # the party is of another case
    mine = reverse("cases:card_pdf", args=[case.pk, case.parties.get().pk])
    assert client_for(world.xs_officer).get(mine).status_code == 404
    assert not SupervisionCard.objects.exists()
