"""A report within its bounds.

Promised: a rendering over REPORT_RENDER_TIMEOUT is stopped: its process is gone, its slot free, the user gets
a page (503, Retry-After) saying their answers are safe, and the next download works. A report over
REPORT_MAX_PAGES is not made (422). `assess --pdf` exits 2 with the reason in either case.
"""

from __future__ import annotations

import os
import tempfile
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from compliance_wizard.assessments.models import ReportFile
from compliance_wizard.catalog import registry
from compliance_wizard.report import isolated
from compliance_wizard.report.isolated import render_slot
from tests.downloads import download
from tests.wizard import WizardRun
from tests.workspace import MODEL_BUSINESS, add_client, answers_of, finished_check


def children() -> set[int]:
    """The processes whose parent is this one, zombies (exited, never waited for) included."""
    me = str(os.getpid())
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state_and_parent = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if state_and_parent[1] == me:
            found.add(int(stat.parent.name))
    return found


@pytest.fixture
def open_slots(settings, monkeypatch, tmp_path):
    """One slot of our own (other test runs on this machine share the installation's), and no waiting."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where isolated.py keeps its slot locks
    # The bounds are the forked child's: a test run that started the browser tests' live server has an idle
    # thread besides this one, which would make the renderer fall back to rendering in this thread.
    monkeypatch.setattr(isolated, "fork_is_safe", lambda: True)
    settings.REPORT_RENDER_SLOTS = 1
    settings.REPORT_RENDER_WAIT = 0


# -- the bounds ------------------------------------------------------------------------------------------


def anonymous_check(client) -> WizardRun:
    run = WizardRun(client, "whatsapp-business")
    run.start("Malerbetrieb Krause")
    run.answer_all(answers_of(MODEL_BUSINESS))
    return run


def test_a_rendering_over_time_is_stopped_and_the_user_told(client, settings, db, open_slots):
    run = anonymous_check(client)
    others = children()
    settings.REPORT_RENDER_TIMEOUT = 0.05  # a real report takes more than a second

    response = download(client, f"/result/{run.token}/report.pdf", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert "Der Bericht konnte nicht erstellt werden" in page
    assert "Ihre Antworten und Ihr Ergebnis sind sicher" in page
    assert f'href="/result/{run.token}/"' in page
    assert children() == others  # the renderer was stopped and waited for, not left running
    assert not ReportFile.objects.exists()
    with render_slot() as got_one:  # REPORT_RENDER_WAIT = 0: only a free slot says yes
        assert got_one

    settings.REPORT_RENDER_TIMEOUT = 35
    response = download(client, f"/result/{run.token}/report.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_report_over_the_page_limit_is_not_made(client, settings, dana, open_slots):
    assessment = finished_check(add_client(dana), answers_of(MODEL_BUSINESS))
    client.force_login(dana.user)
    settings.REPORT_MAX_PAGES = 1
    others = children()

    response = download(client, f"/workspace/checks/{assessment.pk}/report.pdf", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    page = response.content.decode()
    assert "The report could not be created" in page
    assert "at most 1 are possible" in page
    assert "Your answers and your result are safe" in page
    assert f'href="/workspace/checks/{assessment.pk}/"' in page

    response = client.post("/workspace/reports.zip", {"client": [assessment.client_id]}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 422
    assert "Der Bericht wäre zu lang" in response.content.decode()
    assert 'href="/workspace/"' in response.content.decode()
    assert children() == others and not ReportFile.objects.exists()

    settings.REPORT_MAX_PAGES = 150
    response = download(client, f"/workspace/checks/{assessment.pk}/report.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


class TestAssessWithinBounds:
    @pytest.fixture(autouse=True)
    def fresh_registry(self):
        registry.reset()
        yield
        registry.reset()

    @pytest.fixture
    def answers_file(self, tmp_path):
        path = tmp_path / "krause.yaml"
        path.write_text(
            yaml.safe_dump({"checklist": "whatsapp-business", "answers": answers_of(MODEL_BUSINESS)}), encoding="utf-8"
        )
        return path

    def run(self, *args: str) -> tuple[CommandError, str]:
        err = StringIO()
        with pytest.raises(CommandError) as caught:
            call_command("assess", *args, stdout=StringIO(), stderr=err)
        return caught.value, err.getvalue()

    def test_over_time_exits_2_and_writes_nothing(self, settings, answers_file, tmp_path, open_slots):
        settings.REPORT_RENDER_TIMEOUT = 0.05
        others = children()
        target = tmp_path / "krause.pdf"
        error, _ = self.run(str(answers_file), "--pdf", str(target))
        assert error.returncode == 2
        assert str(error) == f"{target} not written: " + (
            "rendering the report took longer than 0.05 s (REPORT_RENDER_TIMEOUT) and was stopped"
        )
        assert not target.exists() and children() == others

    def test_over_the_page_limit_exits_2_and_writes_nothing(self, settings, answers_file, tmp_path):
        settings.REPORT_MAX_PAGES = 1
        error, stderr = self.run(str(answers_file), "--pdf-dir", str(tmp_path / "out"))
        assert error.returncode == 2
        assert "krause.pdf not written: the report would have" in stderr
        assert "more than REPORT_MAX_PAGES (1)" in stderr
        assert list((tmp_path / "out").iterdir()) == []


# -- a worker killed while its report renders ------------------------------------------------------------

# A stand-in for a request worker: it takes the render slot and starts a renderer that would take a minute.
KILLED_WORKER = """
import os, sys, time, django
os.environ["DJANGO_SETTINGS_MODULE"] = "compliance_wizard.settings"
django.setup()
from pathlib import Path
from django.conf import settings
from compliance_wizard.report import isolated

isolated._slot_dir = lambda: Path(sys.argv[2])
settings.REPORT_RENDER_SLOTS = 1
settings.REPORT_RENDER_TIMEOUT = 120

def render(pid_file):
    with open(pid_file, "w") as f:
        f.write(str(os.getpid()))
    time.sleep(60)

with isolated.render_slot():
    isolated.run_isolated(render, sys.argv[1])
"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits for its new parent


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc (Linux)")
def test_a_renderer_dies_with_its_killed_worker_and_frees_the_slot(tmp_path, open_slots, monkeypatch):
    """gunicorn kills a worker that overran its timeout with SIGKILL: no handler runs. Its renderer must not
    go on rendering for nobody, holding one of the few render slots."""
    import signal
    import subprocess
    import sys
    import time

    pid_file, slots = tmp_path / "renderer.pid", tmp_path / "slots"
    slots.mkdir()
    monkeypatch.setattr(isolated, "_slot_dir", lambda: slots)  # the worker's slot, the only one
    worker = subprocess.Popen(
        [sys.executable, "-c", KILLED_WORKER, str(pid_file), str(slots)], cwd=Path(__file__).parents[2]
    )
    try:
        deadline = time.monotonic() + 60
        while not (pid_file.exists() and pid_file.read_text()):
            assert worker.poll() is None and time.monotonic() < deadline, "the renderer did not start"
            time.sleep(0.05)
        renderer = int(pid_file.read_text())
        assert alive(renderer)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        deadline = time.monotonic() + 5
        while alive(renderer) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(renderer), "the renderer outlived its worker"
        with render_slot() as got_one:
            assert got_one  # the slot is free again
    finally:
        worker.kill()
        if pid_file.exists() and pid_file.read_text() and alive(int(pid_file.read_text())):
            os.kill(int(pid_file.read_text()), signal.SIGKILL)
