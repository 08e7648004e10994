"""Drive the web wizard like a person with a browser would: start, answer step by step, read the result."""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.test import Client

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.engine.conditions import as_option_id


class WizardRun:
    def __init__(self, client: Client, checklist_id: str, lang: str = "de", prefix: str = "") -> None:
        self.client = client
        self.prefix_path = prefix  # e.g. "/hwk/musterstadt" on a chamber's site
        self.checklist_id = checklist_id
        self.headers = {"HTTP_ACCEPT_LANGUAGE": lang}
        self.token = ""

    @classmethod
    def resume(cls, client: Client, token: str, lang: str = "de") -> WizardRun:
        """Open a draft someone else started, e.g. through the link a consultant sent."""
        run = cls(client, Assessment.objects.get(token=token).checklist_id, lang)
        run.token = token
        return run

    def start(self, business_name: str = "", website: str = ""):
        response = self.client.post(
            f"{self.prefix_path}/check/{self.checklist_id}/",
            {"business_name": business_name, "website": website},
            **self.headers,
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        self.token = re.search(r"/draft/([^/]+)/", response["Location"]).group(1)
        return response

    @property
    def assessment(self) -> Assessment:
        return Assessment.objects.get(token=self.token)

    @property
    def prefix(self) -> str:
        return f"check-{self.token[:12]}"

    def step_url(self, step: str) -> str:
        return f"{self.prefix_path}/draft/{self.token}/{step}/"

    def current_step(self) -> str:
        """Where the resume link leads: the step the user was on."""
        response = self.client.get(f"{self.prefix_path}/draft/{self.token}/", **self.headers)
        assert response.status_code == 302
        return response["Location"].rstrip("/").split("/")[-1]

    def open(self, step: str | None = None):
        step = step or self.current_step()
        return self.client.get(self.step_url(step), **self.headers)

    def post(self, step: str, answers: Mapping[str, object], extra: Mapping[str, str] | None = None, **kwargs):
        data = {f"{self.prefix}-current_step": step}
        data.update({f"{step}-{key}": str(as_option_id(value)) for key, value in answers.items()})
        data.update(extra or {})
        return self.client.post(self.step_url(step), data, **self.headers, **kwargs)

    def back(self, step: str, to: str, answers: Mapping[str, object] | None = None):
        return self.post(step, answers or {}, {"wizard_goto_step": to})

    def answer_all(self, answers: Mapping[str, object], max_steps: int = 30):
        """Answer every step shown with the given answers until the result page; returns its response."""
        for _ in range(max_steps):
            step = self.current_step()
            page = self.open(step)
            assert page.status_code == 200
            response = self.post(step, answers)
            if response.status_code == 200:
                errors = {f.name: f.errors for f in response.context["fields"] if f.errors}
                raise AssertionError(f"step {step} not accepted: {errors}")
            assert response.status_code == 302, response.status_code
            response = self.after_last_step(response)
            if response["Location"].startswith(tuple(self.prefix_path + p for p in ("/result/", "/workspace/"))):
                return self.client.get(response["Location"], **self.headers)
        raise AssertionError("the wizard did not finish")

    def after_last_step(self, response):
        """The last step leads to formtools' "done" page, which submits the check and leads to the result."""
        if response.status_code == 302 and response["Location"] == self.step_url("done"):
            return self.client.get(response["Location"], **self.headers)
        return response

    def steps_seen(self, answers: Mapping[str, object]) -> list[str]:
        seen = []
        for _ in range(30):
            step = self.current_step()
            seen.append(step)
            response = self.after_last_step(self.post(step, answers))
            if response["Location"].startswith(self.prefix_path + "/result/"):
                return seen
        raise AssertionError("the wizard did not finish")
