import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from compliance_wizard.engine import Checklist, load_checklist

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "checklists"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Property-based tests: the same examples on every run (CI must be reproducible, and a failure must be
# reproducible from its log), no per-example deadline (shared machines are noisy), no example database
# written into the checkout. HYPOTHESIS_PROFILE=explore searches more widely with fresh random examples.
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    database=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("explore", parent=settings.get_profile("ci"), derandomize=False, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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


# -- the people of the consultant workspace ---------------------------------------------------------


def make_consultant(email: str, name: str):
    from django.contrib.auth import get_user_model

    from compliance_wizard.workspace.models import Consultant

    user = get_user_model().objects.create_user(username=email, email=email, password="a-long-Passw0rd!")
    return Consultant.objects.create(user=user, display_name=name)


@pytest.fixture
def dana(db):
    """Dana Schulz, external data protection officer for a dozen craft businesses."""
    return make_consultant("dana@dsb-schulz.example", "Datenschutz Schulz")


@pytest.fixture
def bernd(db):
    """Bernd Roth, another consultant on the same installation; must never see Dana's clients."""
    return make_consultant("bernd@roth-beratung.example", "Roth Beratung")


@pytest.fixture
def staff_user(db):
    """The installation's administrator: runs the admin, but is nobody's consultant."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("admin@example.org", "admin@example.org", "an-Admin-passw0rd")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters (logins, wrong tokens) live in the cache, which outlives a test; every test starts clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def pytest_collection_modifyitems(config, items):
    """The benchmark's smoke run (a minute of setup) runs in CI and with `make bench-smoke` (`-m bench`), not
    in `make test`."""
    if "bench" in (config.getoption("markexpr") or ""):
        return
    skipped = [item for item in items if item.get_closest_marker("bench")]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = [item for item in items if not item.get_closest_marker("bench")]
