"""Reloads, old tabs, tampered forms and impatient double clicks: nothing is lost and nothing answers 500."""

import pytest
from django.test import Client

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.catalog import registry
from compliance_wizard.wizard import views as wizard_views
from tests.test_wizard_flow import KRAUSE
from tests.wizard import WizardRun

pytestmark = pytest.mark.django_db

LAST = "content"


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def follow(run, response):
    assert response.status_code == 302, response.status_code
    return run.client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="de")


@pytest.fixture
def halfway(client):
    """Malermeister Krause has answered the first two steps."""
    run = WizardRun(client, "whatsapp-business")
    run.start("Malerei Krause")
    run.post("usage", KRAUSE.answers)
    run.post("contracts", KRAUSE.answers)
    return run


def test_the_draft_token_is_long_and_unguessable(halfway):
    token = halfway.token
    assert len(token) >= 43  # 32 random bytes, base64: 256 bits
    other = WizardRun(halfway.client, "whatsapp-business")
    other.start()
    assert other.token != token


def test_a_tampered_step_name_redirects_with_a_message(halfway):
    response = halfway.post("devices", KRAUSE.answers, {f"{halfway.prefix}-current_step": "../../etc"})
    page = follow(halfway, response)
    assert page.status_code == 200
    assert "Ihre letzte Eingabe konnte nicht gelesen werden" in page.content.decode()
    assert halfway.assessment.current_step == "devices"
    assert "cloud_backup" not in halfway.assessment.answers  # nothing stored from the tampered post


def test_an_unknown_step_in_the_url_redirects_to_the_current_step(halfway):
    for method in ("get", "post"):
        response = getattr(halfway.client, method)(halfway.step_url("no-such-step"))
        assert response.status_code == 302
        assert response["Location"] == halfway.step_url("devices")


def test_a_missing_management_form_changes_nothing_and_says_so(halfway):
    response = halfway.client.post(halfway.step_url("devices"), {"devices-company_devices": "yes"})
    page = follow(halfway, response)
    assert "Ihre letzte Eingabe konnte nicht gelesen werden" in page.content.decode()
    assert "company_devices" not in halfway.assessment.answers


def test_a_management_form_of_another_check_is_refused(client, halfway):
    other = WizardRun(client, "whatsapp-business")
    other.start()
    data = {f"{other.prefix}-current_step": "devices", "devices-company_devices": "yes"}
    response = client.post(halfway.step_url("devices"), data)
    assert response.status_code == 302
    assert "company_devices" not in halfway.assessment.answers


def test_a_post_for_a_later_step_is_refused(halfway):
    response = halfway.post(LAST, KRAUSE.answers)
    assert response.status_code == 302 and response["Location"] == halfway.step_url("devices")
    assert "special_categories" not in halfway.assessment.answers
    assert halfway.client.get(halfway.step_url(LAST)).status_code == 302


def test_an_earlier_step_from_an_old_tab_is_accepted(halfway):
    response = halfway.post("usage", {**KRAUSE.answers, "internal_use": "yes"})
    assert response.status_code == 302
    assert halfway.assessment.answers["internal_use"] == "yes"
    assert halfway.assessment.answers["avv_whatsapp"] == "filed"  # the later step is kept


def test_a_post_after_the_check_was_finished_leads_to_the_result(halfway):
    halfway.answer_all(KRAUSE.answers)
    response = halfway.post("usage", {**KRAUSE.answers, "app_variant": "consumer"})
    assert response["Location"] == f"/result/{halfway.token}/"
    page = follow(halfway, response)
    assert "bereits abgeschlossen" in page.content.decode()
    assert halfway.assessment.answers["app_variant"] == "business_app"


def test_a_double_submit_of_the_last_step_creates_one_assessment(halfway):
    halfway.answer_all(KRAUSE.answers)
    finished = halfway.assessment
    again = halfway.post(LAST, KRAUSE.answers)
    assert again.status_code == 302 and again["Location"] == f"/result/{halfway.token}/"
    assert Assessment.objects.filter(state=Assessment.State.FINISHED).count() == 1
    assert halfway.assessment.finished_at == finished.finished_at


def test_two_checks_in_two_tabs_of_one_browser_keep_their_own_answers(client):
    tab1 = WizardRun(client, "whatsapp-business")
    tab2 = WizardRun(client, "whatsapp-business")
    tab1.start("Tab eins")
    tab2.start("Tab zwei")
    assert tab1.prefix != tab2.prefix
    tab1.post("usage", KRAUSE.answers)
    tab2.post("usage", {**KRAUSE.answers, "app_variant": "consumer"})
    tab1.post("contracts", KRAUSE.answers)
    assert tab1.assessment.answers["app_variant"] == "business_app"
    assert tab2.assessment.answers["app_variant"] == "consumer"
    assert tab1.current_step() == "devices" and tab2.current_step() == "contracts"


def test_the_draft_link_resumes_in_a_new_browser(halfway):
    stranger = WizardRun(Client(), "whatsapp-business")  # no cookies: another device, or an expired session
    stranger.token = halfway.token
    assert stranger.current_step() == "devices"
    page = stranger.open("contracts").content.decode()
    assert 'value="filed" id="id_contracts-avv_whatsapp_0" checked' in page
    stranger.answer_all(KRAUSE.answers)
    assert halfway.assessment.is_finished


def test_an_expired_session_loses_nothing(halfway):
    halfway.client.cookies.clear()
    assert halfway.current_step() == "devices"
    assert halfway.post("devices", KRAUSE.answers).status_code == 302
    assert halfway.current_step() == "information"


def test_a_server_restart_loses_nothing(halfway):
    registry.reset()  # a new process loads the rule files again and builds new views
    wizard_views._views.clear()
    assert halfway.current_step() == "devices"
    assert halfway.answer_all(KRAUSE.answers).status_code == 200


def test_a_stale_form_with_an_expired_csrf_cookie_gets_a_friendly_page(halfway):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(halfway.step_url("devices"), {}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 403
    assert "nicht verloren" in response.content.decode()


def test_an_unknown_draft_token_is_a_friendly_404(client):
    response = client.get("/draft/" + "x" * 43 + "/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 404
    assert "Speicherfrist" in response.content.decode()


def test_a_draft_whose_checklist_was_removed_says_so(halfway, fixture_checklists):
    response = halfway.client.get(halfway.step_url("devices"), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 410
    assert "nicht mehr angeboten" in response.content.decode()


def test_an_answer_that_is_not_an_option_is_an_error_at_the_field(halfway):
    response = halfway.post("devices", {**KRAUSE.answers, "company_devices": "<script>"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Bitte wählen Sie eine der angebotenen Antworten." in body
    assert "<script>" not in body
