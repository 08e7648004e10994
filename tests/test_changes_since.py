"""When the law moves: a finished check learns what changed since it was judged, can be checked again from its
answers, consultants see whom a change touches, chambers how many checks came before it, and members who asked
for it get one e-mail per change."""

from __future__ import annotations

import re
import threading
from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.utils.html import escape

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.assessments.services import assessment_submit, draft_start
from compliance_wizard.catalog import registry
from compliance_wizard.chambers.models import Chamber, CheckStatistic
from compliance_wizard.engine import Status, check_answers, evaluate
from compliance_wizard.engine.changelog import changes_since
from compliance_wizard.engine.conditions import as_option_id
from compliance_wizard.reminders import notices
from compliance_wizard.reminders.models import ChangeNotice, ChangeNoticeSent
from tests.cases import CASES
from tests.downloads import download
from tests.wizard import WizardRun
from tests.workspace import add_client, finished_check

pytestmark = pytest.mark.django_db

KRAUSE = next(case for case in CASES if case.name.startswith("Malermeister Krause")).answers
STOP_IGNORED = {**KRAUSE, "stop_process": "no"}
SITE = "/hwk/musterstadt"
ANNA = "anna@holzwurm.example"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://dsgvo-check.example.org/"


@pytest.fixture
def whatsapp():
    return registry.get("whatsapp-business")


@pytest.fixture
def dana_logged_in(client, dana):
    client.force_login(dana.user)
    return dana, client


@pytest.fixture
def musterstadt():
    return Chamber.objects.create(slug="musterstadt", name="Handwerkskammer Musterstadt")


def answers(case_answers):
    return {k: str(as_option_id(v)) for k, v in case_answers.items()}


def judged_under_1_0_0(assessment: Assessment, judged: set[str]) -> Assessment:
    """The check as checklist 1.0.0 left it: its version, and only `judged` applied (as its findings say)."""
    result = {}
    for lang, data in assessment.result.items():
        findings = [{**f, "status": "gap" if f["id"] in judged else "not_applicable"} for f in data["findings"]]
        if "third-country-transfer" in judged:
            findings.append({**findings[0], "id": "third-country-transfer", "status": "gap", "severity": "info"})
        result[lang] = {**data, "findings": findings}
    Assessment.objects.filter(pk=assessment.pk).update(result=result, checklist_version="1.0.0")
    assessment.refresh_from_db()
    return assessment


def finished(checklist, chamber=None, case_answers=KRAUSE, language="en") -> Assessment:
    draft = draft_start(checklist, language, "Tischlerei Holzwurm", chamber=chamber)
    return assessment_submit(draft.token, checklist, answers(case_answers))


class TestTheResultPage:
    def test_a_1_0_0_check_shows_exactly_the_changes_that_touch_what_it_judged(self, client, whatsapp):
        check = judged_under_1_0_0(finished(whatsapp), {"third-country-transfer", "opt-out"})
        body = client.get(f"/result/{check.token}/", **EN).content.decode()
        assert "Since your check on" in body
        expected = changes_since(whatsapp.changelog, "1.0.0", {"third-country-transfer", "opt-out"})
        assert {c.id for c in expected} == {"dpf-upheld", "score-caps", "texts-corrected"}
        for change in whatsapp.changelog:
            summary = escape(change.summary.get("en"))[:60]
            assert (summary in body) == (change in expected), change.id
        assert "T-553/23" in body  # the court decision that upheld the framework
        assert body.index("Court decision") < body.index("How the check judges")  # oldest effective date first

    def test_a_check_judged_under_the_current_version_shows_no_notice(self, client, whatsapp):
        check = finished(whatsapp)
        assert "Since your check on" not in client.get(f"/result/{check.token}/", **EN).content.decode()

    def test_the_pdf_of_a_later_download_carries_the_notice(self, client, whatsapp):
        import io

        import pypdf

        check = judged_under_1_0_0(finished(whatsapp), {"third-country-transfer"})
        response = download(client, f"/result/{check.token}/report.pdf?lang=en")
        text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
        assert "Since your check on" in " ".join(text.split()) and "T-553/23" in text


class TestCheckingAgain:
    def test_two_clicks_from_the_notice_to_a_prefilled_check(self, client, whatsapp):
        check = judged_under_1_0_0(finished(whatsapp, case_answers=STOP_IGNORED), {"opt-out"})
        page = client.get(f"/result/{check.token}/", **EN).content.decode()
        action = re.search(r'action="(/result/[^"]+/recheck/)"', page)[1]

        response = client.post(action, **EN)  # click 1: "Check again with my answers"
        assert response.status_code == 302
        draft = Assessment.objects.exclude(pk=check.pk).get()
        assert response["Location"] == f"/draft/{draft.token}/"
        assert draft.token != check.token and draft.previous_id == check.pk and not draft.is_finished
        assert draft.answers == check.answers  # every answer still fits the current rules
        assert draft.current_step == "content"  # nothing new to ask: it opens on the last step

        run = WizardRun.resume(client, draft.token, "en")
        result = run.answer_all(STOP_IGNORED)  # click 2: "Show my result", judged under the current rules
        draft.refresh_from_db()
        assert (draft.is_finished, draft.checklist_version, draft.score) == (True, whatsapp.version, 84)
        assert result.status_code == 200 and "Since your check on" not in result.content.decode()
        check.refresh_from_db()
        assert check.is_finished and check.answers["stop_process"] == "no"  # the earlier result stays

    def test_answers_that_no_longer_fit_are_asked_again(self, whatsapp):
        from compliance_wizard.assessments.services import assessment_recheck

        check = finished(whatsapp)
        Assessment.objects.filter(pk=check.pk).update(answers={**check.answers, "cloud_backup_off": "yes"})
        check.refresh_from_db()
        draft = assessment_recheck(check, whatsapp)
        assert "cloud_backup_off" not in draft.answers and draft.answers["app_variant"] == "business_app"

    def test_a_get_of_the_button_starts_nothing(self, client, whatsapp):
        check = finished(whatsapp)
        response = client.get(f"/result/{check.token}/recheck/")
        assert response["Location"] == f"/result/{check.token}/"
        assert Assessment.objects.count() == 1


class TestConsultants:
    def test_the_desk_lists_clients_whose_latest_check_a_change_touches(self, client, whatsapp, dana_logged_in):
        dana, logged_in = dana_logged_in
        touched = add_client(dana, "Malerei Alt")
        current = add_client(dana, "Malerei Neu")
        archived = add_client(dana, "Malerei Archiv")
        judged_under_1_0_0(finished_check(touched, answers(KRAUSE)), {"third-country-transfer"})
        finished_check(current, answers(KRAUSE))
        judged_under_1_0_0(finished_check(archived, answers(KRAUSE)), {"third-country-transfer"})
        archived.archived_at = archived.created_at
        archived.save()

        page = logged_in.get("/workspace/changes/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
        assert "Von Änderungen betroffen" in page
        assert "Malerei Alt" in page and "T-553/23" in page
        assert "Malerei Neu" not in page and "Malerei Archiv" not in page

    def test_a_clients_check_page_offers_the_repeat(self, client, whatsapp, dana_logged_in):
        dana, logged_in = dana_logged_in
        check = judged_under_1_0_0(finished_check(add_client(dana), answers(KRAUSE)), {"opt-out"})
        page = logged_in.get(f"/workspace/checks/{check.pk}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
        assert "Seit Ihrem Check vom" in page and f'action="/workspace/checks/{check.pk}/repeat/"' in page


class TestChambers:
    def rows(self, chamber, version, n, month):
        CheckStatistic.objects.bulk_create(
            CheckStatistic(
                chamber=chamber,
                checklist_id="whatsapp-business",
                checklist_version=version,
                month=month,
                band="amber",
                score=80,
                gaps=[],
            )
            for _ in range(n)
        )

    def report(self, chamber, today):
        from compliance_wizard.chambers.views import build_report

        return build_report(chamber, "whatsapp-business", 2026, today, {})

    def test_the_dashboard_counts_checks_judged_before_the_latest_change(self, musterstadt):
        self.rows(musterstadt, "1.0.0", 6, date(2026, 3, 1))
        self.rows(musterstadt, "1.1.0", 10, date(2026, 4, 1))
        report = self.report(musterstadt, date(2026, 12, 2))
        assert report.changed_in == "1.1.0"
        assert (report.earlier.count, report.earlier.text) == (6, "6")

    def test_fewer_than_five_are_never_shown(self, musterstadt):
        self.rows(musterstadt, "1.0.0", 3, date(2026, 3, 1))
        self.rows(musterstadt, "1.1.0", 10, date(2026, 4, 1))
        earlier = self.report(musterstadt, date(2026, 12, 2)).earlier
        assert earlier.count is None and "5" in earlier.text

    def test_all_but_a_few_is_not_shown_either(self, musterstadt):
        self.rows(musterstadt, "1.0.0", 12, date(2026, 3, 1))
        self.rows(musterstadt, "1.1.0", 2, date(2026, 4, 1))
        assert self.report(musterstadt, date(2026, 12, 2)).earlier.count is None

    def test_a_submitted_check_records_its_version(self, whatsapp, musterstadt):
        finished(whatsapp, musterstadt)
        assert CheckStatistic.objects.get().checklist_version == whatsapp.version


def mailed_link(message, kind: str) -> str:
    found = re.search(rf"https?://[^/\s]+(/\S*/reminders/{kind}/[\w-]+/changes/)", message.body)
    assert found, message.body
    return found[1]


class TestNoticesByMail:
    def ask_and_confirm(self, client, check):
        response = client.post(f"{SITE}/reminders/check/{check.token}/changes/", {"changes-email": ANNA}, **EN)
        assert response.status_code == 302 and response["Location"].endswith("#changes-notice")
        (confirmation,) = mail.outbox
        assert confirmation.to == [ANNA] and "notices of changes" in confirmation.subject
        path = mailed_link(confirmation, "confirm")
        assert "Confirm the notices of changes" in client.get(path, **EN).content.decode()
        assert not ChangeNotice.objects.get().is_confirmed  # opening the link is not consent
        client.post(path, **EN)
        mail.outbox.clear()
        return ChangeNotice.objects.get()

    def test_a_member_is_told_of_a_change_once_and_can_stop_it(self, client, whatsapp, musterstadt):
        check = judged_under_1_0_0(finished(whatsapp, musterstadt), {"third-country-transfer", "opt-out"})
        page = client.get(f"{SITE}/result/{check.token}/", **EN).content.decode()
        assert "Tell me when something this check judged changes" in page
        notice = self.ask_and_confirm(client, check)
        assert notice.is_confirmed
        # What the member saw on the page is not mailed again; a change made since is.
        assert notices.send_due() == (0, 0)
        ChangeNoticeSent.objects.filter(change_id="dpf-upheld").delete()

        assert notices.send_due() == (1, 0)
        (told,) = mail.outbox
        assert told.to == [ANNA] and "T-553/23" in told.body and check.token in told.body
        assert notices.send_due() == (0, 0)  # never twice
        assert len(mail.outbox) == 1

        cancel = mailed_link(told, "cancel")
        assert "Stop the notices of changes?" in client.get(cancel, **EN).content.decode()
        client.post(cancel, **EN)
        assert not ChangeNotice.objects.exists() and not ChangeNoticeSent.objects.exists()

    def test_nothing_is_mailed_without_a_confirmed_opt_in(self, client, whatsapp, musterstadt):
        check = judged_under_1_0_0(finished(whatsapp, musterstadt), {"third-country-transfer"})
        client.post(f"{SITE}/reminders/check/{check.token}/changes/", {"changes-email": ANNA}, **EN)
        mail.outbox.clear()
        assert notices.send_due() == (0, 0)
        assert mail.outbox == []

    def test_the_command_reports_and_a_dry_run_only_counts(self, client, whatsapp, musterstadt, capsys):
        from django.core.management import call_command

        check = judged_under_1_0_0(finished(whatsapp, musterstadt), {"third-country-transfer"})
        self.ask_and_confirm(client, check)
        ChangeNoticeSent.objects.all().delete()
        call_command("send_change_notices", "--dry-run")
        assert "Would mail 1 check(s)" in capsys.readouterr().out and mail.outbox == []
        call_command("send_change_notices")
        assert "Mailed 1 check(s)" in capsys.readouterr().out and len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_servers_running_the_command_at_once_mail_each_change_once(client, musterstadt, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip("two writers at once need a database server: run with DATABASE_URL=postgres://…/test")
    whatsapp = registry.get("whatsapp-business")
    check = judged_under_1_0_0(finished(whatsapp, musterstadt), {"third-country-transfer"})
    notice = TestNoticesByMail().ask_and_confirm(client, check)
    ChangeNoticeSent.objects.filter(notice=notice).delete()

    both_looked = threading.Barrier(2)
    untold = notices.untold

    def looked(n):
        found = untold(n)
        both_looked.wait(timeout=10)  # both runs have found the change before either claims it
        return found

    monkeypatch.setattr(notices, "untold", looked)
    results = []

    def run():
        try:
            results.append(notices.send_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [(0, 0), (1, 0)]
    assert len(mail.outbox) == 1


def test_the_engine_and_the_page_agree_on_what_a_check_judged(whatsapp):
    result = evaluate(whatsapp, check_answers(whatsapp, answers(KRAUSE)).answers)
    judged = {f.requirement.id for f in result.findings if f.status is not Status.NOT_APPLICABLE}
    assert "contact-sync" in judged and "avv-bsp" not in judged
