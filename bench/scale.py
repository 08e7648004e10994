"""The scale plan: a chamber's dashboard and CSV with 2,000 and with 200,000 statistics rows, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/compliance_bench .venv/bin/python -m bench.run --plan scale

The runner (bench/run.py) creates and migrates the database, then runs this file in a process with the app's
settings (`python bench/scale.py SMALL LARGE`): two chambers, one with SMALL and one with LARGE rows spread
over the last 24 months (bulk_create, a few seconds per 100,000), each page requested in-process through
Django's test client by a logged-in member of the staff. Printed as JSON: the median time of each page,
*cold* (the cache cleared before each request: every month counted in the database) and *warm* (the finished
months' counts kept, as from the second visit on), and the ratio large / small of each (target: warm <= 3).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKLIST_ID = "whatsapp-business"
COLD_RUNS, WARM_RUNS = 5, 15


def months_back(today: date, n: int) -> list[date]:
    """The n months before today's, newest first."""
    out = [today.replace(day=1)]
    for _ in range(n):
        out.append((out[-1] - timedelta(days=1)).replace(day=1))
    return out[1:]


def fill(chamber, count: int, requirement_ids: list[str], months: list[date], rng: random.Random) -> None:
    from compliance_wizard.chambers.models import CheckStatistic

    sectors = ["health_care", "personal_services", "construction", "other", "unknown"]
    batch = []
    for n in range(count):
        gaps = rng.sample(requirement_ids, rng.choice([0, 1, 2, 3, 5, 8]))
        batch.append(
            CheckStatistic(
                chamber=chamber,
                checklist_id=CHECKLIST_ID,
                checklist_version=rng.choice(["1.0.0", "1.1.0", "1.2.0"]),
                month=months[n % len(months)],
                band=rng.choice(["green", "amber", "red"]),
                score=rng.randint(0, 100),
                gaps=gaps,
                sector=rng.choice(sectors),
            )
        )
        if len(batch) == 10_000:
            CheckStatistic.objects.bulk_create(batch)
            batch = []
    CheckStatistic.objects.bulk_create(batch)


def timed(client, path: str, clear_cache: bool) -> float:
    from django.core.cache import cache

    if clear_cache:
        cache.clear()
    started = time.perf_counter()
    response = client.get(path, HTTP_HOST="127.0.0.1")
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code}")
    return seconds


def measure(small: int, large: int) -> dict[str, object]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from compliance_wizard.catalog import registry
    from compliance_wizard.chambers.models import Chamber, ChamberStaff

    rng = random.Random(20)  # noqa: S311  (test data, the same in every run)
    today = timezone.localdate()
    months = months_back(today, 24)
    requirement_ids = [r.id for r in registry.get(CHECKLIST_ID).requirements]
    user = get_user_model().objects.create_user("staff@bench.example", "staff@bench.example", "unused-Passw0rd!")
    client = Client()
    client.force_login(user)
    year = today.year - 1
    result: dict[str, object] = {"rows": {"small": small, "large": large}, "year": year}
    pages: dict[str, dict[str, float]] = {}
    for name, count in (("small", small), ("large", large)):
        chamber = Chamber.objects.create(slug=f"bench-{name}", name=f"Bench {name}")
        ChamberStaff.objects.create(chamber=chamber, user=user)
        started = time.perf_counter()
        fill(chamber, count, requirement_ids, months, rng)
        result[f"fill_{name}_s"] = round(time.perf_counter() - started, 1)
        query = f"?checklist={CHECKLIST_ID}&year={year}"
        for page, path in (
            ("dashboard", f"/chambers/{chamber.slug}/{query}"),
            ("csv", f"/chambers/{chamber.slug}/statistics.csv{query}"),
        ):
            timed(client, path, clear_cache=True)  # the first request also warms up the code and the database
            cold = [timed(client, path, clear_cache=True) for _ in range(COLD_RUNS)]
            timed(client, path, clear_cache=False)
            warm = [timed(client, path, clear_cache=False) for _ in range(WARM_RUNS)]
            pages[f"{page}_{name}"] = {
                "cold_ms": statistics.median(cold) * 1000,
                "warm_ms": statistics.median(warm) * 1000,
            }
    result["pages"] = pages
    result["ratios"] = {
        f"{page}_{kind}": pages[f"{page}_large"][f"{kind}_ms"] / pages[f"{page}_small"][f"{kind}_ms"]
        for page in ("dashboard", "csv")
        for kind in ("cold", "warm")
    }
    return result


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compliance_wizard.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    print(json.dumps(measure(int(argv[0]), int(argv[1]))))


if __name__ == "__main__":
    main(sys.argv[1:])
