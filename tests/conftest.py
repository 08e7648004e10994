from pathlib import Path

import pytest

from compliance_wizard.engine import Checklist, load_checklist

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "checklists"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def whatsapp() -> Checklist:
    return load_checklist(RULES / "whatsapp-business")


@pytest.fixture(scope="session")
def website() -> Checklist:
    return load_checklist(FIXTURES / "checklists" / "website-basics.yaml")


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture
def fixture_checklists(settings):
    """Serve the small website-basics checklist instead of the real rule files."""
    from compliance_wizard.catalog import registry

    settings.CHECKLIST_DIR = FIXTURES / "checklists"
    registry.reset()
    yield
    registry.reset()
