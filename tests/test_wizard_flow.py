"""A business owner answers the check in the browser, step by step, and lands on the result."""

import pytest
import yaml

from compliance_wizard.assessments.models import Assessment
from tests.cases import CASES
from tests.conftest import ROOT
from tests.wizard import WizardRun

pytestmark = pytest.mark.django_db

PAINTER = yaml.safe_load((ROOT / "examples" / "malerbetrieb-muster.yaml").read_text(encoding="utf-8"))["answers"]
CASE = {case.name: case for case in CASES}
KRAUSE = CASE["Malermeister Krause: WhatsApp Business on a company phone, everything set up"]
SCHMIDT = CASE["Elektro Schmidt GmbH: Business Platform through an EU provider"]
UNSURE_AVV = CASE["Not knowing about the processing agreement caps the score in amber"]


def test_start_page_explains_the_check_before_asking_anything(client):
    body = client.get("/check/whatsapp-business/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "WhatsApp im Betrieb: DSGVO-Check" in body
    assert "Minuten" in body and "keine Rechtsberatung" in body
    assert "30 Tagen" in body and "90 Tagen" in body  # what is stored for how long
    assert 'name="business_name"' in body and 'name="website"' in body
    assert "Name Ihres Betriebs (optional)" in body


def test_the_home_page_links_to_every_check(client):
    assert 'href="/check/whatsapp-business/"' in client.get("/").content.decode()


def test_an_unknown_checklist_is_a_plain_404(client):
    assert client.get("/check/no-such-check/").status_code == 404


def test_website_without_scheme_is_accepted_and_garbage_is_explained(client):
    run = WizardRun(client, "whatsapp-business")
    run.start("Malerei Muster", "www.malerei-muster.de")
    assert run.assessment.website == "https://www.malerei-muster.de"

    response = client.post("/check/whatsapp-business/", {"website": "not a website"}, HTTP_ACCEPT_LANGUAGE="de")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'aria-describedby="id_website_help id_website_error"' in body
    assert "Bitte geben Sie eine Webadresse" in body
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize(
    "answers, band, score",
    [(KRAUSE.answers, "green", 100), (UNSURE_AVV.answers, "amber", 84), (PAINTER, "red", 25)],
    ids=["green: Malermeister Krause", "amber: unsure about the AVV", "red: Malerbetrieb Muster"],
)
def test_happy_path_ends_on_the_result_page(client, answers, band, score):
    run = WizardRun(client, "whatsapp-business")
    run.start("Malerbetrieb Muster")
    page = run.answer_all(answers)
    assessment = run.assessment
    assert assessment.is_finished and assessment.band == band
    if score is not None:
        assert assessment.score == score
    body = page.content.decode()
    assert f'<span class="score-number">{assessment.score}</span>' in body
    assert f"band-{band}" in body
    assert "Malerbetrieb Muster" in body


def test_each_step_says_where_the_user_is(client):
    run = WizardRun(client, "whatsapp-business")
    run.start()
    body = run.open().content.decode()
    assert "Schritt 1 von 7" in body  # until the kind of business is known, the health step may come
    run.post("usage", KRAUSE.answers)
    assert "Schritt 2 von 6" in run.open().content.decode()  # a painter: the count only ever shrinks


def test_platform_users_skip_the_device_step_and_the_count_follows(client):
    run = WizardRun(client, "whatsapp-business")
    run.start()
    seen = run.steps_seen(SCHMIDT.answers)
    assert seen == ["usage", "contracts", "information", "contact", "content"]
    run2 = WizardRun(client, "whatsapp-business")
    run2.start()
    run2.post("usage", SCHMIDT.answers)
    assert "Schritt 2 von 5" in run2.open().content.decode()
    assert client.get(run2.step_url("devices")).status_code == 302  # not part of this check


def test_a_follow_up_question_appears_once_the_answer_it_depends_on_is_given(client):
    run = WizardRun(client, "whatsapp-business")
    run.start()
    first = run.open("usage").content.decode()
    assert 'name="usage-app_variant"' in first
    # Asked only for the Business Platform: hidden until then; the page script reveals it at once.
    follow_up = first[first.index('data-reveal-when="') : first.index('name="usage-uses_bsp"')]
    assert follow_up.startswith('data-reveal-when="{&quot;name&quot;: &quot;usage-app_variant&quot;')
    assert "platform" in follow_up and "business_app" not in follow_up
    assert first[: first.index('data-reveal-when="')].endswith(" hidden ")
    assert "js/wizard.js" in first

    response = run.post("usage", {"sector": "other", "app_variant": "platform", "internal_use": "no"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Bitte wählen Sie eine Antwort." in body
    shown = body[body.index('name="usage-uses_bsp"') - 400 : body.index('name="usage-uses_bsp"')]
    assert "hidden" not in shown  # without the script, the server asks it now
    assert run.assessment.current_step == "usage"

    platform = {"sector": "other", "app_variant": "platform", "internal_use": "no", "uses_bsp": "no"}
    assert run.post("usage", {**platform, "platform_phones": "no"}).status_code == 302
    assert run.assessment.answers == {**platform, "platform_phones": "no"}


def test_an_unanswered_question_is_named_in_the_error_summary_and_at_the_field(client):
    run = WizardRun(client, "whatsapp-business")
    run.start()
    body = run.post("usage", {"app_variant": "business_app"}).content.decode()
    assert 'class="error-summary" role="alert"' in body
    assert 'href="#id_usage-internal_use_0"' in body
    assert 'aria-describedby="id_usage-internal_use_error"' in body


def test_back_keeps_what_was_chosen_on_the_current_step(client):
    run = WizardRun(client, "whatsapp-business")
    run.start()
    run.post("usage", KRAUSE.answers)
    response = run.back("contracts", "usage", {"avv_whatsapp": "filed"})  # half of the step answered
    assert response.status_code == 302 and response["Location"].endswith("/usage/")
    assert run.assessment.answers["avv_whatsapp"] == "filed"
    page = run.open("contracts").content.decode()
    assert 'value="filed" id="id_contracts-avv_whatsapp_0" checked' in page


def test_going_back_and_changing_an_answer_changes_the_steps_that_follow(client):
    run = WizardRun(client, "whatsapp-business")
    run.start()
    run.post("usage", KRAUSE.answers)
    run.post("contracts", KRAUSE.answers)
    assert "Schritt 3 von 6" in run.open("devices").content.decode()
    run.post("usage", SCHMIDT.answers)  # now the Business Platform: no devices step
    assert run.current_step() == "contracts"
    assert "Schritt 2 von 5" in run.open("contracts").content.decode()


def test_a_reload_shows_the_saved_answers_of_the_step(client):
    run = WizardRun(client, "whatsapp-business")
    run.start()
    run.post("usage", KRAUSE.answers)
    page = run.open("usage").content.decode()
    assert 'value="business_app" id="id_usage-app_variant_1" checked' in page


@pytest.mark.parametrize("case", CASES, ids=str)
def test_every_engine_case_gives_the_same_findings_through_the_wizard(client, case):
    run = WizardRun(client, case.checklist)
    run.start()
    run.answer_all(case.answers)
    result = run.assessment.result["de"]

    def ids(status):
        return {f["id"] for f in result["findings"] if f["status"] == status}

    assert ids("gap") == set(case.expect.get("gap", []))
    assert ids("to_clarify") == set(case.expect.get("to_clarify", []))
    assert ids("not_applicable") == set(case.expect.get("not_applicable", []))
    assert result["band"]["id"] == case.expect["band"]
    if "score" in case.expect:
        assert result["score"] == case.expect["score"]


def test_a_second_checklist_gets_its_own_wizard_without_code(client, fixture_checklists):
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Website basics" in home and "WhatsApp" not in home

    run = WizardRun(client, "website-basics", lang="en")
    run.start()
    first = run.open().content.decode()
    assert "Step 1 of 3" in first and "Do you have a website?" in first
    reveal = '{"name": "basics-has_site", "values": ["yes", "unknown"]}'  # "don't know": ask to be safe
    assert f'hidden data-reveal-when="{reveal.replace(chr(34), "&quot;")}"' in first

    assert run.steps_seen({"has_site": "no", "newsletter_optin": "yes"}) == ["basics", "mail"]
    assert run.assessment.score == 100

    run = WizardRun(client, "website-basics", lang="en")
    run.start()
    run.post("basics", {"has_site": "yes", "site_kind": "shop"})
    assert "Step 2 of 3" in run.open().content.decode()
    page = run.answer_all(
        {"has_site": "yes", "site_kind": "shop", "imprint": "no", "consent_banner": "yes", "newsletter_optin": "yes"}
    )
    assert "Legal notice present" in page.content.decode()
    assert run.assessment.band == "red"  # a critical gap
