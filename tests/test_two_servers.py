"""Two app servers behind one reverse proxy share nothing but the database: a business owner's requests may
land on either, one after the other, and the check still runs through to the right report.

Both are real gunicorn processes with the production settings and deploy/gunicorn.conf.py, each with its
own memory and its own in-process cache; the proxy is played by the test, which sends every request to the
other server than the one before.
"""

import html
import io
import itertools
import re
import shutil

import pypdf
import pytest
import yaml
from django.db import connection

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.engine.conditions import as_option_id
from tests.appserver import AppServer, Visitor, collected_static, postgres_url, production_env
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two app servers need one database server: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/test",
)

CASES = yaml.safe_load((ROOT / "tests" / "cases" / "whatsapp-business.yaml").read_text(encoding="utf-8"))
MODEL_BUSINESS = {
    question: str(as_option_id(answer)) for question, answer in CASES["bases"]["model_business"]["answers"].items()
}
BUSINESS = "Malermeister Krause"


@pytest.fixture
def servers(transactional_db, tmp_path):
    """Two servers on the test database; the data they write is committed, so this test and both see it."""
    env = production_env(postgres_url(connection.settings_dict), collected_static())
    pair = [AppServer("server-a", env, tmp_path), AppServer("server-b", env, tmp_path)]
    try:
        for server in pair:
            server.start()
        yield pair
    finally:
        for server in pair:
            server.stop()
        connection.close()  # the flush after the test must not wait for this connection


def test_one_check_walked_across_two_servers_gets_the_right_report(servers):
    krause = Visitor()
    next_server = itertools.cycle(servers).__next__
    served = []

    def get(path):
        response = krause.get(next_server(), path)
        served.append((response.served_by, "GET", response.status))
        return response

    def post(path, form, page):
        response = krause.post(next_server(), path, {"csrfmiddlewaretoken": page.csrf_token(), **form})
        served.append((response.served_by, "POST", response.status))
        assert response.status == 302, response.text[:2000]
        return response

    start = get("/check/whatsapp-business/")
    assert start.status == 200
    begun = post("/check/whatsapp-business/", {"business_name": BUSINESS, "website": ""}, start)
    token = re.fullmatch(r"/draft/([^/]+)/[^/]+/", begun.location).group(1)
    prefix = f"check-{token[:12]}"

    # He opens his personal link instead of the step the start page led to: it leads there from either server.
    location, steps = f"/draft/{token}/", []
    while not location.startswith("/result/"):
        resumed = get(location)  # the draft link leads to the step the check is on
        if resumed.status == 302:
            location = resumed.location
            continue
        assert resumed.status == 200
        step = location.rstrip("/").rsplit("/", 1)[-1]
        steps.append(step)
        assert len(steps) < 20, steps
        answers = {f"{step}-{question}": answer for question, answer in MODEL_BUSINESS.items()}
        location = post(location, {f"{prefix}-current_step": step, **answers}, resumed).location
    assert location == f"/result/{token}/"
    assert len(steps) >= 4, steps

    result = get(location)
    assert result.status == 200
    assert "Gut aufgestellt" in result.text and BUSINESS in result.text
    assert "no-store" in result.headers["Cache-Control"]

    # The first click is answered at once with a page that reloads; the reload, on the other server, renders.
    waiting = get(f"/result/{token}/report.pdf")
    assert waiting.status == 202
    refresh = re.search(r'<meta http-equiv="refresh" content="\d+;url=([^"]+)">', waiting.text)
    report = get(html.unescape(refresh.group(1)))
    assert report.status == 200
    assert report.headers["Content-Type"] == "application/pdf"
    assert "no-store" in report.headers["Cache-Control"]
    reader = pypdf.PdfReader(io.BytesIO(report.body))
    cover = "".join(reader.pages[0].extract_text().split())
    assert BUSINESS.replace(" ", "") in cover and "100/100" in cover

    # Every POST and page went to the server the previous request did not reach.
    assert [name for name, _, _ in served] == [s.name for s, _ in zip(itertools.cycle(servers), served, strict=False)]
    assert {name for name, method, _ in served if method == "POST"} == {"server-a", "server-b"}
    assessment = Assessment.objects.get(token=token)
    assert assessment.is_finished
    assert assessment.result["de"]["score"] == 100
    for server in servers:
        assert "Traceback" not in server.tail(400), server.tail(400)


# -- a deploy under way: one server already on the next version of the rules, the other not yet ------------

NEW_QUESTION = {
    "id": "avv_stored",
    "type": "yes_no",
    "text": {
        "de": "Liegt der unterschriebene Vertrag zur Auftragsverarbeitung bei Ihren Unterlagen?",
        "en": "Is the signed processing agreement kept with your records?",
    },
    "help": {"de": "Ausgedruckt oder als PDF.", "en": "On paper or as a PDF."},
}


def next_release(folder):
    """The rule files of version 1.3.0: one more question on the contracts step."""
    path = folder / "checklist.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["version"] = "1.3.0"
    next(step for step in data["steps"] if step["id"] == "contracts")["questions"].append(NEW_QUESTION)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def rollout(transactional_db, tmp_path):
    """server-old serves the rules of version 1.2.0, server-new those of 1.3.0; same database, same secrets."""
    folders = {}
    for name in ("old", "new"):
        folders[name] = tmp_path / name
        shutil.copytree(ROOT / "checklists" / "whatsapp-business", folders[name] / "whatsapp-business")
    next_release(folders["new"] / "whatsapp-business")
    env = production_env(postgres_url(connection.settings_dict), collected_static())
    old = AppServer("server-old", {**env, "CHECKLIST_DIR": str(folders["old"])}, tmp_path)
    new = AppServer("server-new", {**env, "CHECKLIST_DIR": str(folders["new"])}, tmp_path)
    try:
        old.start()
        new.start()
        yield old, new, folders
    finally:
        old.stop()
        new.stop()
        connection.close()


def test_a_server_on_older_rules_never_takes_a_draft_back_nor_loses_an_answer(rollout):
    old, new, folders = rollout
    krause = Visitor()

    def post(server, path, form, page):
        return krause.post(server, path, {"csrfmiddlewaretoken": page.csrf_token(), **form})

    def answer(server, step, extra=None):
        page = krause.get(server, f"/draft/{token}/{step}/")
        assert page.status == 200, (server.name, step, page.status)
        form = {
            f"{prefix}-current_step": step,
            **{f"{step}-{q}": a for q, a in {**MODEL_BUSINESS, **(extra or {})}.items()},
        }
        return post(server, f"/draft/{token}/{step}/", form, page)

    start = krause.get(old, "/check/whatsapp-business/")
    begun = post(old, "/check/whatsapp-business/", {"business_name": BUSINESS, "website": ""}, start)
    token = re.fullmatch(r"/draft/([^/]+)/[^/]+/", begun.location).group(1)
    prefix = f"check-{token[:12]}"
    for step in ("usage", "contracts"):
        assert answer(old, step).status == 302

    # On the new server he is told about the new question, continues, and answers it.
    notice = krause.get(new, f"/draft/{token}/")
    assert notice.status == 200 and NEW_QUESTION["text"]["de"] in notice.text
    new_hash = re.search(r'name="adopt_checklist" value="([0-9a-f]+)"', notice.text).group(1)
    assert post(new, f"/draft/{token}/", {"adopt_checklist": new_hash}, notice).status == 302
    assert answer(new, "contracts", {"avv_stored": "yes"}).location == f"/draft/{token}/devices/"
    devices_page = krause.get(new, f"/draft/{token}/devices/")
    assert devices_page.status == 200

    # His next step lands on the old server: it neither saves under 1.2.0 nor fails, it says "try again".
    form = {f"{prefix}-current_step": "devices", **{f"devices-{q}": a for q, a in MODEL_BUSINESS.items()}}
    refused = post(old, f"/draft/{token}/devices/", form, devices_page)
    assert refused.status == 503 and int(refused.headers["Retry-After"]) > 0
    draft = Assessment.objects.get(token=token)
    assert (draft.checklist_version, draft.content_hash) == ("1.3.0", new_hash)
    assert draft.answers["avv_stored"] == "yes" and "company_devices" not in draft.answers

    # The retry reaches the new server and goes through.
    assert post(new, f"/draft/{token}/devices/", form, devices_page).location == f"/draft/{token}/information/"

    # The old server's files are updated on disk (its restart still pending): it reads them and goes on.
    shutil.copytree(folders["new"], folders["old"], dirs_exist_ok=True)
    assert answer(old, "information").location == f"/draft/{token}/contact/"
    draft = Assessment.objects.get(token=token)
    assert (draft.checklist_version, draft.content_hash) == ("1.3.0", new_hash)
    assert (
        draft.answers["avv_stored"] == "yes" and draft.answers["company_devices"] == MODEL_BUSINESS["company_devices"]
    )
    assert draft.answers["impressum_link"] == MODEL_BUSINESS["impressum_link"]
    for server in (old, new):
        assert "Traceback" not in server.tail(400), server.tail(400)
