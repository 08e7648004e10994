"""After submit the details are offered at once: a jump from under the next steps, a prompt atop the documents."""

import pytest

from compliance_wizard.assessments.services import assessment_details_save
from tests.test_documents_page import FORM, finished, page, section

pytestmark = pytest.mark.django_db


def jump(body):
    start = body.index('class="documents-jump"')
    return body[start : body.index("</p>", start)]


def test_without_details_a_jump_under_the_next_steps_leads_to_the_prompt_atop_the_documents(client):
    body = page(client, finished())
    assert body.index('id="next-steps-heading"') < body.index('class="documents-jump"') < body.index("result-actions")
    assert '<a href="#documents">Ihre Dokumente: Angaben ergänzen</a>' in jump(body)
    documents = section(body)
    prompt = documents.index('class="documents-prompt"')
    assert "Noch mit Lücken:" in documents
    assert prompt < documents.index("Angaben für Ihre Texte ergänzen") < documents.index('class="document"')


def test_once_details_are_given_the_jump_promises_ready_texts_and_the_prompt_goes(client):
    assessment = finished()
    assessment_details_save(assessment, FORM)
    body = page(client, assessment)
    assert "Ihre Dokumente: fertige Texte" in jump(body)
    assert "documents-prompt" not in body and "Noch mit Lücken" not in body
    assert "mit Ihren Angaben ausgefüllt" in section(body)


def test_in_english_too(client):
    body = page(client, finished(), lang="en")
    assert '<a href="#documents">Your documents: add your details</a>' in jump(body)
    assert "Still with gaps:" in section(body)
