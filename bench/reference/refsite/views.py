"""Three steps, three radio questions each, stored in the database session: formtools as documented."""

from django import forms
from django.http import HttpResponse
from formtools.wizard.views import SessionWizardView

CHOICES = [
    ("yes", "Ja"),
    ("no", "Nein"),
    ("partly", "Teilweise, nicht auf allen Geräten"),
    ("unknown", "Weiß ich nicht"),
]


def question(text: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=text,
        choices=CHOICES,
        widget=forms.RadioSelect,
        help_text="Eine kurze Erklärung, was mit dieser Frage gemeint ist.",
    )


class Usage(forms.Form):
    business_app = question("Nutzen Sie die App WhatsApp Business?")
    company_phone = question("Läuft WhatsApp auf einem Firmenhandy?")
    group_chats = question("Gibt es Gruppen mit Mitarbeitenden?")


class Contracts(forms.Form):
    avv = question("Haben Sie den Auftragsverarbeitungsvertrag abgeschlossen?")
    transfer = question("Ist die Übermittlung in die USA dokumentiert?")
    records = question("Steht WhatsApp im Verzeichnis der Verarbeitungstätigkeiten?")


class Devices(forms.Form):
    contacts = question("Darf WhatsApp auf alle Kontakte zugreifen?")
    backup = question("Ist die Cloud-Sicherung der Chats ausgeschaltet?")
    lost = question("Gibt es einen Plan für ein verlorenes Handy?")


class ReferenceWizard(SessionWizardView):
    form_list = [Usage, Contracts, Devices]
    template_name = "wizard.html"

    def done(self, form_list, **kwargs):
        return HttpResponse("done")
