"""The dependency audit (scripts/audit_dependencies.py) as `make lint` runs it on a machine without the
vulnerability service: it names the mode it ran in and the age of the advisory file, fails on any installed
version inside an affected range, and passes the versions pinned in constraints.txt.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.appserver import ROOT

SCRIPT = ROOT / "scripts" / "audit_dependencies.py"
ADVISORIES = ROOT / "security" / "advisories.yaml"


def audit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--offline", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )


def installed(tmp_path, *lines: str):
    path = tmp_path / "installed.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_a_vulnerable_version_fails_and_names_the_advisory_and_the_fix(tmp_path):
    done = audit("--installed", installed(tmp_path, "Django==5.2.5", "pillow==11.2.1", "PyYAML==6.0.3"))
    assert done.returncode == 1
    assert done.stdout.startswith("mode: OFFLINE")
    assert re.search(
        r"against \d+ advisories in advisories.yaml, updated \d{4}-\d\d-\d\d \(\d+ days ago\)", done.stdout
    )
    assert "VULNERABLE: django 5.2.5 (CVE-2025-57833, fixed in 5.2.6)" in done.stdout
    assert "VULNERABLE: pillow 11.2.1 (CVE-2025-48379, fixed in 11.3.0)" in done.stdout
    assert "VULNERABLE: pyyaml" not in done.stdout  # 6.0.3 is fixed


def test_the_first_fixed_version_passes(tmp_path):
    done = audit("--installed", installed(tmp_path, "Django==5.2.9", "pillow==11.3.0", "gunicorn==22.0.0"))
    assert done.returncode == 0, done.stdout
    assert "no installed version is inside a known affected range" in done.stdout


def test_the_pinned_versions_have_no_known_vulnerability():
    done = audit("--installed", str(ROOT / "constraints.txt"))
    assert done.returncode == 0, done.stdout


def test_an_old_advisory_file_is_called_old(tmp_path):
    done = audit("--installed", installed(tmp_path, "Django==5.2.9"), "--today", "2030-01-01")
    assert done.returncode == 0
    assert "WARNING: advisories.yaml is older than 90 days" in done.stdout


def test_a_range_that_excludes_nothing_or_cannot_be_read_fails_loudly(tmp_path):
    broken = tmp_path / "advisories.yaml"
    broken.write_text(
        "updated: 2026-11-23\nadvisories:\n"
        "  - {package: django, id: CVE-0000-0001, affected: ['<5.2.9'], fixed: 5.2.8, reason: fixed inside}\n",
        encoding="utf-8",
    )
    done = audit("--installed", installed(tmp_path, "Django==5.2.9"), "--advisories", str(broken))
    assert done.returncode != 0 and "lies inside its affected range" in done.stderr


def test_every_advisory_has_an_id_a_reason_and_every_direct_dependency_was_reviewed():
    data = yaml.safe_load(ADVISORIES.read_text(encoding="utf-8"))
    for advisory in data["advisories"]:
        assert re.fullmatch(r"(CVE-\d{4}-\d{4,}|GHSA(-[0-9a-z]{4}){3}|PYSEC-\d{4}-\d+)", advisory["id"]), advisory
        assert advisory["affected"] and len(advisory["reason"]) > 20, advisory["id"]
    reviewed = {canonicalize_name(a["package"]) for a in data["advisories"]}
    reviewed |= {canonicalize_name(name) for name in data["no_known_advisories"]}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    direct = [*project["dependencies"], *(d for ds in project["optional-dependencies"].values() for d in ds)]
    assert {canonicalize_name(Requirement(d).name) for d in direct} - reviewed == set()


@pytest.mark.parametrize("package", ["django", "pillow", "gunicorn", "pyyaml", "fonttools", "redis"])
def test_the_advisories_cover_the_packages_that_handle_input(package):
    data = yaml.safe_load(ADVISORIES.read_text(encoding="utf-8"))
    assert any(canonicalize_name(a["package"]) == package for a in data["advisories"])
