"""Check the installed packages for known vulnerabilities; exit 1 if one is affected.

Online, when PyPI's vulnerability data answers: pip-audit on this environment, then the offline check as well.
Offline (no network, or only a package mirror, as on the CI machine): the installed versions against the
advisories in security/advisories.yaml, saying how old that file is. Either way the output says which ran.

    .venv/bin/python scripts/audit_dependencies.py             # this environment, online if possible
    .venv/bin/python scripts/audit_dependencies.py --offline   # the advisory file only
    .venv/bin/python scripts/audit_dependencies.py --offline --installed constraints.txt   # a pinned set
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
ADVISORIES = ROOT / "security" / "advisories.yaml"
# A version with published advisories: the service is usable only if it reports them.
PROBE = "https://pypi.org/pypi/Django/4.2/json"
STALE_AFTER_DAYS = 90


@dataclass(frozen=True)
class Advisory:
    package: str
    id: str
    affected: tuple[str, ...]
    fixed: str
    reason: str

    def affects(self, version: str) -> bool:
        try:
            parsed = Version(version)
        except InvalidVersion:
            return False
        return any(SpecifierSet(spec).contains(parsed, prereleases=True) for spec in self.affected)


@dataclass(frozen=True)
class AdvisoryFile:
    updated: datetime.date
    advisories: tuple[Advisory, ...]

    def age_days(self, today: datetime.date) -> int:
        return (today - self.updated).days


def load_advisories(path: Path) -> AdvisoryFile:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    updated = data["updated"]
    if not isinstance(updated, datetime.date):
        updated = datetime.date.fromisoformat(str(updated))
    advisories = tuple(
        Advisory(
            package=canonicalize_name(item["package"]),
            id=str(item["id"]),
            affected=tuple(item["affected"]),
            fixed=str(item["fixed"]),
            reason=str(item["reason"]),
        )
        for item in data["advisories"]
    )
    for advisory in advisories:
        for spec in advisory.affected:
            SpecifierSet(spec)  # a typo in a range must fail loudly, not match nothing
        if advisory.affects(advisory.fixed):
            raise ValueError(f"{advisory.id}: the fixed version {advisory.fixed} lies inside its affected range")
    return AdvisoryFile(updated, advisories)


def installed_here() -> dict[str, str]:
    return {canonicalize_name(d.metadata["Name"]): d.version for d in importlib.metadata.distributions()}


def installed_from(path: Path) -> dict[str, str]:
    """name==version lines, as `pip freeze` and constraints.txt write them."""
    versions = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-") or "==" not in line:
            continue
        name, version = line.split("==", 1)
        versions[canonicalize_name(name.split("[", 1)[0])] = version.split(";", 1)[0].strip()
    return versions


def findings(advisories: AdvisoryFile, installed: dict[str, str]) -> list[tuple[Advisory, str]]:
    return [
        (advisory, installed[advisory.package])
        for advisory in advisories.advisories
        if advisory.package in installed and advisory.affects(installed[advisory.package])
    ]


def service_unreachable(timeout: float = 5.0) -> str:
    """Why pip-audit's vulnerability service cannot be used; "" when it can."""
    try:
        with urllib.request.urlopen(PROBE, timeout=timeout) as response:
            data = json.load(response)
    except Exception as error:  # any failure means offline; which one is only reported
        return f"{PROBE}: {type(error).__name__}: {error}"
    if not data.get("vulnerabilities"):
        return f"{PROBE} answers, but without vulnerability data (a mirror?)"
    return ""


def run_pip_audit() -> int:
    command = [sys.executable, "-m", "pip_audit", "--skip-editable", "--progress-spinner", "off"]
    return subprocess.run(command, check=False).returncode  # noqa: S603 (our own interpreter, fixed arguments)


def offline_check(path: Path, installed: dict[str, str], source: str, today: datetime.date) -> int:
    advisories = load_advisories(path)
    age = advisories.age_days(today)
    print(
        f"offline check: {len(installed)} packages ({source}) against {len(advisories.advisories)} advisories in "
        f"{path.name}, updated {advisories.updated.isoformat()} ({age} days ago)"
    )
    if age > STALE_AFTER_DAYS:
        print(
            f"WARNING: {path.name} is older than {STALE_AFTER_DAYS} days; advisories published since are not "
            "known to this check. Review it (SECURITY.md)."
        )
    found = findings(advisories, installed)
    for advisory, version in found:
        print(f"VULNERABLE: {advisory.package} {version} ({advisory.id}, fixed in {advisory.fixed}): {advisory.reason}")
    if not found:
        print("offline check: no installed version is inside a known affected range")
    return 1 if found else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offline", action="store_true", help="do not try pip-audit's online service")
    parser.add_argument("--advisories", type=Path, default=ADVISORIES, help="the advisory file")
    parser.add_argument("--installed", type=Path, help="check the name==version lines of this file instead")
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=datetime.date.today())
    args = parser.parse_args(argv)

    status = 0
    if args.installed is None and not args.offline:
        reason = service_unreachable()
        if reason:
            print(f"mode: OFFLINE, pip-audit skipped because its vulnerability service is unreachable ({reason})")
        else:
            print("mode: ONLINE, pip-audit against PyPI's vulnerability data, then the offline advisory file")
            status = run_pip_audit()
    else:
        print("mode: OFFLINE, as asked")
    installed = installed_from(args.installed) if args.installed else installed_here()
    source = str(args.installed) if args.installed else sys.prefix
    return max(status, offline_check(args.advisories, installed, source, args.today))


if __name__ == "__main__":
    sys.exit(main())
