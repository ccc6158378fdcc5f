"""The plan as the person reads it: one voice ("u", their own words quoted), the practice and how
to reach it, a PDF beside print, version summaries in the reader's language, and "what changed"
measured from the last agreed version."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from koers.audit.models import AccessLogEntry
from koers.careplans import services
from koers.careplans.pdf import plan_text
from koers.careplans.views import _current_context

from .conftest import add_action, add_goal, record

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def plan(cast):
    cast.gp_practice.phone = "030 123 45 67"
    cast.gp_practice.email = "assistente@delinde.example"
    cast.gp_practice.save()
    cast.anna.profile.what_matters = "Ik wil weer met mijn kleinkinderen naar het bos."
    cast.anna.profile.save()
    goal = add_goal(cast.anna, cast.noor, description="Weer een eind fietsen")
    add_action(goal, cast.noor, what="Elke dag tien minuten fietsen", responsible="person")
    record(cast.anna, cast.noor)
    return cast


def page(client, name, **kwargs):
    response = client.get(reverse(f"careplans:{name}", kwargs=kwargs))
    assert response.status_code == 200
    return response


def test_the_persons_plan_speaks_to_them_as_u_and_quotes_their_own_words(plan, login):
    text = page(login(plan.anna_user), "portal_plan").content.decode()
    plain = text[text.index('<div class="plain">') :]
    for first_person_heading in ("Mijn doelen", "Wat ik ga doen", "Wat mijn zorgverleners doen", "Voor mijn doel"):
        assert first_person_heading not in plain, first_person_heading
    assert ">Uw doelen</h2>" in plain and ">Wat u gaat doen</h2>" in plain and "Voor uw doel:" in plain
    assert "In uw eigen woorden:" in plain
    assert '<blockquote class="own-words"><p>Ik wil weer met mijn kleinkinderen naar het bos.</p></blockquote>' in plain


@pytest.mark.parametrize("name", ["portal_plan", "portal_print"])
def test_the_plan_names_the_practice_and_how_to_reach_it(plan, login, name):
    text = page(login(plan.anna_user), name).content.decode()
    assert ">Uw praktijk</h2>" in text
    assert "Dit plan maakte u samen met Huisartsenpraktijk De Linde." in text
    assert '<a href="tel:0301234567">030 123 45 67</a>' in text
    assert '<a href="mailto:assistente@delinde.example">assistente@delinde.example</a>' in text


def test_without_contact_details_the_plan_says_whom_to_ask(cast, login):
    add_goal(cast.anna, cast.noor)
    record(cast.anna, cast.noor)
    text = page(login(cast.anna_user), "portal_plan").content.decode()
    assert "Huisartsenpraktijk De Linde" in text and "tel:" not in text and "mailto:" not in text


@pytest.mark.parametrize("who", ["professional", "person"])
def test_a_pdf_beside_print_with_the_same_words(plan, login, who):
    user = plan.noor if who == "professional" else plan.anna_user
    client = login(user)
    screen = page(client, "plan", person_id=plan.anna.pk) if who == "professional" else page(client, "portal_plan")
    pdf_url = (
        reverse("careplans:pdf", kwargs={"person_id": plan.anna.pk})
        if who == "professional"
        else reverse("careplans:portal_pdf")
    )
    print_url = (
        reverse("careplans:print", kwargs={"person_id": plan.anna.pk})
        if who == "professional"
        else reverse("careplans:portal_print")
    )
    html = screen.content.decode()
    assert f'href="{pdf_url}" download' in html and html.index(print_url) < html.index(pdf_url)
    before = AccessLogEntry.objects.filter(user=user, object_type="careplans.CarePlan", action="R").count()
    response = client.get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "no-store" in response["Cache-Control"]
    assert 'filename="zorgplan.pdf"' in response["Content-Disposition"]
    assert AccessLogEntry.objects.filter(user=user, object_type="careplans.CarePlan", action="R").count() == before + 1


def test_the_pdf_text_is_the_plain_plan(plan):
    text = plan_text(_current_context(plan.anna, plan.anna_user))
    for expected in (
        "Uw praktijk",
        "Dit plan maakte u samen met Huisartsenpraktijk De Linde. Bellen: 030 123 45 67.",
        "“Ik wil weer met mijn kleinkinderen naar het bos.”",
        "Uw doelen\n- Weer een eind fietsen",
        "Wat u gaat doen\n- Elke dag tien minuten fietsen.",
    ):
        assert expected in text, expected
    assert "&" not in text and "<" not in text and "\n\n\n" not in text


def test_version_summaries_follow_the_readers_language(plan, login, settings):
    client = login(plan.noor)
    services.follow_up_create(actor=plan.noor, person=plan.anna, what="Slapen", who="Noor", method="phone")
    assert "Vervolgafspraak toegevoegd: Slapen" in page(client, "versions", person_id=plan.anna.pk).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = page(client, "versions", person_id=plan.anna.pk).content.decode()
    assert "Follow-up agreement added: Slapen" in text and "Vervolgafspraak" not in text


def test_compare_page_starts_from_the_last_agreed_version(cast, login, sessions):
    with time_machine.travel(START, tick=False) as clock:
        add_goal(cast.anna, cast.noor, description="Een")
        record(cast.anna, cast.noor)
        services.care_plan_agree(actor=cast.noor, person=cast.anna)  # 1, agreed
        add_goal(cast.anna, cast.noor, description="Twee")
        record(cast.anna, cast.noor)  # 2
        clock.shift(dt.timedelta(hours=2))
        add_goal(cast.anna, cast.noor, description="Drie")
        record(cast.anna, cast.noor)  # 3
        text = page(login(cast.noor), "compare", person_id=cast.anna.pk).content.decode()
    assert "Wat is er veranderd van versie 1 naar versie 3?" in text
    assert "nieuw</span> Twee" in text and "nieuw</span> Drie" in text
    assert "afgesproken)" in text  # the agreed version is marked in the choice list


def test_the_plan_page_says_whether_the_version_is_open_or_agreed(plan, login):
    client = login(plan.noor)
    html = page(client, "plan", person_id=plan.anna.pk).content.decode()
    assert "Deze versie is nog open" in html and "Vastleggen als afgesproken versie" in html
    response = client.post(reverse("careplans:save_version", kwargs={"person_id": plan.anna.pk}), {"summary": ""})
    assert response.status_code == 302
    html = page(client, "plan", person_id=plan.anna.pk).content.decode()
    assert "Afgesproken op" in html and "Vastleggen als afgesproken versie" not in html


def test_a_plan_made_with_a_mental_health_team_does_not_call_it_a_practice(plan, login):
    """Daan's plan, made with GGZ-team Oost, said "Uw praktijk … Neem dan contact op met uw
    praktijk". Only a GP practice is called a practice."""
    from koers.accounts.models import Organisation

    Organisation.objects.filter(name="Huisartsenpraktijk De Linde").update(kind=Organisation.Kind.GGZ_TEAM)
    for name in ("portal_plan", "portal_print"):
        text = page(login(plan.anna_user), name).content.decode()
        block = text[text.index('aria-labelledby="p-practice"') :]
        block = block[: block.index("</section>")]
        assert ">Uw zorgorganisatie</h2>" in block and "praktijk" not in block.replace("Huisartsenpraktijk", "")
        assert "Neem dan contact op met uw zorgorganisatie." in block
