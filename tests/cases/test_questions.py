"""Declaration questions by institution: the product's questions are asked everywhere; a body adds its own, asked
in it and the bodies below; a body stops asking an inherited one for itself and below; administrators change only
their own bodies' questions. The clock is pinned to 20 November 2026 (the cases' received day)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from cases import declarations
from cases.models import Declaration, DeclarationQuestion, QuestionOptOut
from cases.queries import questions_for
from integrity import actions as integrity_actions
from integrity.choices import Role
from tests.cases.records import make_case
from tests.factories import OfficerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]


@pytest.fixture
def own(world):
    """A question of the city, one of 东湖 district, and 东湖 no longer asking one of the product's."""
    city = DeclarationQuestion.objects.create(code="city-gifts", text="是否收受当事人礼品？", institution=world.city)
    district = DeclarationQuestion.objects.create(code="dh-visits", text="是否私下会见当事人？", institution=world.dh)
    dropped = DeclarationQuestion.objects.filter(institution__isnull=True).first()
    QuestionOptOut.objects.create(question=dropped, institution=world.dh)
    return city, district, dropped


def test_each_institution_asks_the_products_its_own_and_those_above_less_what_it_stopped(world, own):
    city, district, dropped = own
    products = set(DeclarationQuestion.objects.filter(institution__isnull=True))
    assert set(questions_for(world.city)) == products | {city}
    assert set(questions_for(world.dh)) == (products - {dropped}) | {city, district}
    assert set(questions_for(world.xs)) == products | {city}  # the other district keeps what 东湖 dropped


def test_a_declaration_answers_exactly_the_questions_of_its_institution(world, own):
    _city, district, dropped = own
    case = make_case(world.dh_officer.department, [world.dh_officer])
    declaration = Declaration.objects.get(case=case)
    asked = [declarations.AnswerData(q, False) for q in questions_for(world.dh)]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        declarations.submit_declaration(
            declaration, [*asked, declarations.AnswerData(dropped, False)], acting_user=world.dh_officer
        )
    assert "is not asked in this institution" in str(refused.value)
    with translation.override("en"), pytest.raises(ValidationError, match="is not answered"):
        declarations.submit_declaration(
            declaration, [a for a in asked if a.question != district], acting_user=world.dh_officer
        )
    declarations.submit_declaration(declaration, asked, acting_user=world.dh_officer)
    assert declaration.answers.count() == len(asked)


def test_administrators_change_only_their_own_bodies_questions(world, own, client_for):
    city, district, _dropped = own
    dh_admin = OfficerFactory(username="dh_admin", department=world.dh_officer.department)
    integrity_actions.grant_role(dh_admin, Role.ADMINISTRATOR, world.dh, acting_user=None)
    client = client_for(dh_admin)
    listed = client.get(reverse("admin:cases_declarationquestion_changelist")).content.decode()
    assert city.text in listed and district.text in listed  # asked in their body: shown
    change = "admin:cases_declarationquestion_change"
    assert client.post(reverse(change, args=[city.pk]), {"text": "改", "code": city.code}).status_code == 403
    city.refresh_from_db()
    assert city.text == "是否收受当事人礼品？"
    xs_question = DeclarationQuestion.objects.create(code="xs-own", text="西山的问题", institution=world.xs)
    assert xs_question.text not in client.get(reverse("admin:cases_declarationquestion_changelist")).content.decode()
    form = client.get(reverse("admin:cases_declarationquestion_add")).content.decode()
    assert f'value="{world.dh.pk}"' in form and f'value="{world.city.pk}"' not in form
