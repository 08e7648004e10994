"""`make bench`: start the production stack on loopback, drive it, print a table, write bench/results.json.

    python -m bench.run [--plan full|quick|smoke|pdf|renders|storage|scale] [--out PATH]

SQLite in a temporary folder by default; PostgreSQL when DATABASE_URL names a benchmark database
(postgres://postgres@127.0.0.1:5432/compliance_bench; it is dropped and created again, and so is
<name>_reference for the reference wizard). Every figure is measured next to its reference in the same
run; bench/README.md says what each one means.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import load
from bench.pdf_reference import ReferenceRenderer
from bench.pdftext import characters_per_page
from bench.servers import (
    BENCH,
    PYTHON,
    ROOT,
    ChildPeaks,
    Databases,
    Server,
    app_env,
    memory_kib,
    migrate,
    reference_env,
    run,
)
from bench.tables import SCALE_TARGET, scale_table, table, verdicts

APP = "compliance_wizard.wsgi:application"
REFERENCE = "refsite.wsgi:application"
WARM_UP = "compliance_wizard.warm.warm_up"
RENDER_NICE = 10  # compliance_wizard.report.isolated.DEFAULT_NICE: the reference renders on the same terms


@dataclass(frozen=True)
class Plan:
    workers: int  # per server; 0: gunicorn.conf.py's default, 2 x cores + 1
    warmup: float  # seconds of load before each measuring window opens
    wizard_users: int
    wizard_window: float
    wizard_rounds: int  # reference and app take turns (ABBA ABBA), so drift in the machine's load hits both
    check_users: int
    check_window: float
    mixed_users: int
    mixed_renderers: int
    mixed_window: float
    pdf_first: int
    pdf_warm: int
    cached: int
    memory_renders: int
    cli_runs: int
    rules_runs: int
    report: str = "worst"  # the report of phases 3, 4, 5 and 8 (6 always renders the typical one)
    wizard_only: bool = False  # phases 1 and 8 only: for comparing changes to the wizard in a minute
    click_users: int = 4  # 9: people who click "PDF" as soon as their check is submitted
    click_window: float = 30
    storage_checks: int = 100  # 10: finished checks whose bytes in the database are measured; 0: skipped
    storage_only: bool = False  # figure 10 alone: no servers, a minute
    anonymous_renderers: int = 6  # 11: anonymous people downloading new reports while the wizard runs; 0: skipped
    renders_only: bool = False  # figure 11 alone
    pdf_only: bool = False  # figure 3 alone


PLANS = {
    "full": Plan(0, 1, 16, 5, 4, 8, 15, 8, 2, 15, 3, 10, 100, 100, 3, 5),
    # The same scenario with tiny numbers, for tests/test_bench_smoke.py. Three workers, as production has at
    # least (2 × cores + 1): with two, the two report seats of a 2-core machine could hold both for the whole
    # short window of figure 11, and the wizard would count no step at all.
    "smoke": Plan(
        3, 0.3, 2, 1, 1, 2, 1.5, 2, 1, 1.5, 1, 1, 3, 2, 1, 1, report="typical", click_users=1, click_window=6
    ),
    # Figures 1 and 8 alone, in short windows: a quick look while working on the wizard.
    "quick": Plan(
        0, 1, 16, 3, 4, 8, 0, 8, 2, 8, 0, 0, 0, 0, 0, 0, wizard_only=True, storage_checks=0, anonymous_renderers=0
    ),
    # Figure 11 alone, on a server of 3 workers as in the report that asked for it (issue 20): two minutes.
    "renders": Plan(3, 1, 0, 0, 0, 0, 0, 8, 0, 15, 0, 0, 0, 0, 0, 0, storage_checks=0, renders_only=True),
    # Figure 3 alone, with as many rounds as the full run: a few minutes while working on the report's layout.
    "pdf": Plan(
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 10, 0, 0, 0, 0, storage_checks=0, anonymous_renderers=0, pdf_only=True
    ),
    # Figure 10 alone: what a finished check keeps in the database.
    "storage": Plan(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, storage_only=True),
}

# A person who sees nothing happen for longer than this after a click tends to click again.
FIRST_CLICK_SECONDS = 1.0


# The scale plan: a chamber's dashboard and CSV with this many statistics rows, small and large, same run.
SCALE_ROWS = (2_000, 200_000)


def scale_bench(database_url: str | None, rows: tuple[int, int] = SCALE_ROWS, log=print) -> dict:
    databases = Databases.create(database_url)
    try:
        log(f"databases: {databases.engine}; migrating")
        migrate(databases)
        log(f"scale: {rows[0]:,} and {rows[1]:,} statistics rows")
        results = json.loads(run([PYTHON, str(BENCH / "scale.py"), *map(str, rows)], app_env(databases), timeout=900))
    finally:
        if databases.engine == "sqlite":
            databases.drop()
    results["machine"] = machine(databases.engine)
    results["target"] = {"warm_ratio": f"<= {SCALE_TARGET}"}
    results["met"] = all(v <= SCALE_TARGET for k, v in results["ratios"].items() if k.endswith("_warm"))
    return results


def scenario(env: dict[str, str], *args: str) -> object:
    return json.loads(run([PYTHON, str(BENCH / "scenario.py"), *args], env))


# -- phases -----------------------------------------------------------------------------------------------------


def wizard_phase(app: Server, ref: Server, person: dict, plan: Plan) -> dict:
    """1. Step round trips, 16 users: the real wizard against a bare formtools wizard, in turns."""
    ours: dict[str, list[float]] = {}
    theirs: dict[str, list[float]] = {}
    errors = {"app": 0, "reference": 0}
    examples: list[str] = []
    cpu = {"app": 0.0, "reference": 0.0}
    for round_ in range(plan.wizard_rounds):
        for who in ("reference", "app") if round_ % 2 == 0 else ("app", "reference"):
            window = load.Window(plan.warmup, plan.wizard_window)
            server = app if who == "app" else ref
            if who == "app":
                behaviours = [lambda r: load.wizard_steps(app.port, person, r)] * plan.wizard_users
            else:
                behaviours = [lambda r: load.reference_steps(ref.port, r)] * plan.wizard_users
            before = server.cpu_seconds()
            rec = load.measure(window, behaviours)
            # The whole run, warm-up included, against the steps counted in the window: an upper bound.
            cpu[who] += (server.cpu_seconds() - before) * plan.wizard_window / (plan.wizard_window + plan.warmup)
            target = ours if who == "app" else theirs
            for label, values in rec.samples.items():
                target.setdefault(label, []).extend(values)
            errors[who] += sum(rec.errors.values())
            examples += [f"{who}: {example}" for example in rec.examples[:2]]
    seconds = plan.wizard_window * plan.wizard_rounds
    app_steps = load.summary(ours.get("step", []), seconds)
    ref_steps = load.summary(theirs.get("step", []), seconds)
    return {
        "users": plan.wizard_users,
        "seconds_each": seconds,
        "app": app_steps,
        "app_post": load.summary(ours.get("step POST", []), seconds),
        "app_get": load.summary(ours.get("step GET", []), seconds),
        "reference": ref_steps,
        "ratio": _ratio(app_steps.get("per_second"), ref_steps.get("per_second")),
        # No target of its own: how the p99 compares with the bare wizard's on the same machine in the same run.
        "p99_ratio": _ratio(app_steps.get("p99_ms"), ref_steps.get("p99_ms")),
        # Server processor time per counted step (starting a check and the reference's reset included):
        # steadier than steps/s on a shared machine, since it does not count time the server waited for a core.
        "app_cpu_ms_per_step": 1000 * cpu["app"] / max(1, app_steps["count"]),
        "reference_cpu_ms_per_step": 1000 * cpu["reference"] / max(1, ref_steps["count"]),
        "errors": errors,
        "error_examples": examples,
    }


def complete_check_phase(app: Server, person: dict, plan: Plan) -> dict:
    """2. Whole checks, start page to result page, 8 users."""
    window = load.Window(plan.warmup, plan.check_window)
    rec = load.measure(window, [lambda r: load.complete_checks(app.port, person, r)] * plan.check_users)
    return {
        "users": plan.check_users,
        "checks": load.summary(rec.samples.get("check", []), plan.check_window),
        "requests": load.summary(rec.samples.get("request", []), plan.check_window),
        "errors": sum(rec.errors.values()),
        "error_examples": rec.examples,
    }


def first_click_phase(app: Server, person: dict, plan: Plan) -> dict:
    """9. People who download their report as soon as the check is submitted: is the click answered at once?"""
    window = load.Window(plan.warmup, plan.click_window)
    rec = load.measure(window, [lambda r: load.first_clicks(app.port, person, r)] * plan.click_users)
    clicks = rec.samples.get("first click", [])
    fast = sum(1 for seconds in clicks if seconds < FIRST_CLICK_SECONDS)
    return {
        "users": plan.click_users,
        "clicks": load.summary(clicks, plan.click_window),
        "answered_within_1s": fast,
        "share_within_1s": fast / len(clicks) if clicks else float("nan"),
        "until_pdf": load.summary(rec.samples.get("until the PDF", [])),
        "errors": sum(rec.errors.values()),
        "error_examples": rec.examples,
    }


def mixed_phase(app: Server, person: dict, tokens: list[str], plan: Plan) -> dict:
    """8. The wizard alone, then the same while reports are being rendered."""
    alone = load.measure(
        load.Window(plan.warmup, plan.mixed_window),
        [lambda r: load.wizard_steps(app.port, person, r)] * plan.mixed_users,
    )
    behaviours = [lambda r: load.wizard_steps(app.port, person, r)] * plan.mixed_users
    behaviours += [lambda r: load.report_downloads(app.port, tokens, r)] * plan.mixed_renderers
    mixed = load.measure(load.Window(plan.warmup, plan.mixed_window), behaviours)
    return {
        "users": plan.mixed_users,
        "renderers": plan.mixed_renderers,
        "alone": load.summary(alone.samples.get("step", []), plan.mixed_window),
        "with_reports": load.summary(mixed.samples.get("step", []), plan.mixed_window),
        "renders": load.summary(mixed.samples.get("render", []), plan.mixed_window),
        "tokens_left": len(tokens),
        "errors": sum(alone.errors.values()) + sum(mixed.errors.values()),
        "error_examples": alone.examples + mixed.examples,
    }


def anonymous_phase(app: Server, person: dict, tokens: list[str], plan: Plan) -> dict:
    """11. The wizard alone, then the same while six anonymous people (each an address of their own) keep
    downloading new reports: its p99 as a ratio to its own p99 alone, in the same run."""
    wizard = [lambda r: load.wizard_steps(app.port, person, r)] * plan.mixed_users
    alone = load.measure(load.Window(plan.warmup, plan.mixed_window), wizard)
    renders = [lambda r: load.anonymous_renders(app.port, tokens, r)] * plan.anonymous_renderers
    mixed = load.measure(load.Window(plan.warmup, plan.mixed_window), wizard + renders)
    alone_steps = load.summary(alone.samples.get("step", []), plan.mixed_window)
    mixed_steps = load.summary(mixed.samples.get("step", []), plan.mixed_window)
    return {
        "users": plan.mixed_users,
        "renderers": plan.anonymous_renderers,
        "workers": app.workers,
        "alone": alone_steps,
        "with_renders": mixed_steps,
        "p99_ratio": _ratio(mixed_steps.get("p99_ms"), alone_steps.get("p99_ms")),
        "renders": load.summary(mixed.samples.get("render", []), plan.mixed_window),
        "turned_away": mixed.tallies.get("turned away", 0),
        "tokens_left": len(tokens),
        "errors": sum(alone.errors.values()) + sum(mixed.errors.values()),
        "error_examples": alone.examples + mixed.examples,
    }


def storage_phase(env: dict[str, str], plan: Plan) -> dict:
    """10. Bytes in the database per finished check: with its stored PDF, and at rest once that expired.

    Run while no server runs: the database is compacted (VACUUM) before each reading."""
    return scenario(env, "storage", str(plan.storage_checks))


def cached_phase(app: Server, token: str, plan: Plan) -> dict:
    """4. The same report downloaded again: from the cache."""

    async def downloads() -> list[float]:
        first = await load.download(app.port, token)  # rendered and stored
        times = []
        for _ in range(plan.cached):
            again = await load.download(app.port, token)
            if again.body != first.body:
                raise SystemExit("the cached report differs from the first download")
            times.append(again.seconds)
        return times

    return {"downloads": load.summary(asyncio.run(downloads()))}


def pdf_phase(server: Server, cold: Server | None, tokens: list[str], plan: Plan) -> dict:
    """3. The worst-case report: first from a fresh worker, then warm, in turns with plain WeasyPrint.

    Each round replaces the worker (SIGHUP), downloads one report from the fresh worker, then warm ones,
    each followed by the reference rendering, so that first and warm figures see the same machine.
    `cold` is the same server without the warm-up at worker start: its first report, for comparison.
    """
    first, warm, reference, cold_first = [], [], [], []
    response = None
    with ReferenceRenderer(RENDER_NICE) as renderer:
        reference_density = renderer.warm_up["characters_per_page"]
        for round_ in range(plan.pdf_first):
            server.fresh_workers()
            first.append(asyncio.run(load.download(server.port, tokens.pop())).seconds)
            for _ in range(len(range(round_, plan.pdf_warm, plan.pdf_first))):
                response = asyncio.run(load.download(server.port, tokens.pop()))
                warm.append(response.seconds)
                reference.append(renderer.render())
            if cold is not None:
                cold.fresh_workers()
                cold_first.append(asyncio.run(load.download(cold.port, tokens.pop())).seconds)
    assert response is not None
    ours = statistics.median(warm)
    ref = statistics.median(r["seconds"] for r in reference)
    pages, ref_pages = load.pages(response.body), reference[0]["pages"]
    # Judged by pairs: each report against the reference rendered right after it. On a shared machine the speed
    # drifts by tens of per cent within a minute; a pair sees one state of it, two medians of a run may not.
    pairs = [(w / pages) / (r["seconds"] / ref_pages) for w, r in zip(warm, reference, strict=True)]
    return {
        "pages": pages,
        "bytes": len(response.body),
        "warm_median_s": ours,
        "warm_s": warm,
        "first_s": first,
        "first_median_s": statistics.median(first),
        "first_vs_warm": statistics.median(first) / ours - 1,
        "first_without_warm_up_s": cold_first,
        "first_without_warm_up_vs_warm": statistics.median(cold_first) / ours - 1 if cold_first else float("nan"),
        "characters_per_page": characters_per_page(response.body),
        "reference_pages": ref_pages,
        "reference_characters_per_page": reference_density,
        "reference_s": [r["seconds"] for r in reference],
        "reference_median_s": ref,
        "ratio_per_page": statistics.median(pairs),
        "ratio_per_page_pairs": pairs,
        "ratio_per_page_of_medians": (ours / pages) / (ref / ref_pages),
        "ratio_whole": ours / ref,
    }


def memory_phase(server: Server, tokens: list[str], plan: Plan) -> dict:
    """6. One worker renders report after report; its memory after the first, the middle and the last."""
    (pid,) = server.worker_pids()
    samples = {"after_warm_up": memory_kib(pid)}
    marks = {"after_1": 1, "after_half": max(1, plan.memory_renders // 2), "after_all": plan.memory_renders}
    seconds = []
    children = ChildPeaks(pid)
    children.start()
    for n in range(1, plan.memory_renders + 1):
        seconds.append(asyncio.run(load.download(server.port, tokens.pop())).seconds)
        for mark in (mark for mark, after in marks.items() if after == n):
            samples[mark] = memory_kib(pid)
    renderer = children.stop()
    if server.worker_pids() != [pid]:
        raise SystemExit("the worker was replaced during the memory run")
    mib = {key: {k: v / 1024 for k, v in value.items()} for key, value in samples.items()}
    return {
        "renders": plan.memory_renders,
        "render_median_s": statistics.median(seconds),
        "mib": mib,
        "peak_mib": mib["after_all"]["VmHWM"],
        "growth_mib": mib["after_all"]["VmRSS"] - mib["after_half"]["VmRSS"],
        # Each report renders in a child forked from the worker (report/isolated.py): its peak, seen from outside.
        "render_child_peak_mib": renderer["max_mib"],
        "render_children_seen": renderer["children"],
    }


def _timed_process(args: list[str], env: dict[str, str], workdir: Path) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB) of one whole process."""
    peak_file = workdir / "peak"
    command = [PYTHON, str(BENCH / "peak.py"), *args[1:]]
    started = time.perf_counter()
    peak_env = dict(env, BENCH_PEAK_FILE=str(peak_file))
    done = subprocess.run(command, env=peak_env, cwd=ROOT, capture_output=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr.decode()[-2000:]}")
    return seconds, int(peak_file.read_text()) / 1024


def cli_phase(env: dict[str, str], workdir: Path, plan: Plan) -> dict:
    """5. `manage.py assess answers.yaml --pdf out.pdf` as a whole process, against Python starting Django."""
    answers = workdir / f"{plan.report}.yaml"
    scenario(env, "answers-file", plan.report, str(answers))
    assess = [PYTHON, "manage.py", "assess", str(answers), "--pdf", str(workdir / f"{plan.report}.pdf")]
    baseline = [PYTHON, "-c", "import django"]
    runs = {"assess": [], "baseline": []}
    for _ in range(plan.cli_runs):
        runs["baseline"].append(_timed_process(baseline, env, workdir))
        runs["assess"].append(_timed_process(assess, env, workdir))
    out = {}
    for name, values in runs.items():
        out[name] = {"wall_s": statistics.median(v[0] for v in values), "peak_mib": max(v[1] for v in values)}
    out["wall_ratio"] = out["assess"]["wall_s"] / out["baseline"]["wall_s"]
    out["peak_ratio"] = out["assess"]["peak_mib"] / out["baseline"]["peak_mib"]
    return out


def rules_phase(env: dict[str, str], plan: Plan) -> dict:
    """7. Loading and validating every rule file in a fresh process, as at start-up."""
    import yaml

    runs = [scenario(env, "rules") for _ in range(plan.rules_runs)]
    return {
        "median_ms": statistics.median(r["seconds"] for r in runs) * 1000,
        "runs_ms": [r["seconds"] * 1000 for r in runs],
        "files": runs[0]["files"],
        "checklists": runs[0]["checklists"],
        "errors": runs[0]["errors"],
        "libyaml_available": bool(getattr(yaml, "__with_libyaml__", False)),
    }


# -- the run ----------------------------------------------------------------------------------------------------


def machine(engine: str) -> dict:
    import django
    import weasyprint

    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next(
            (line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line), ""
        )
    mem = Path("/proc/meminfo").read_text().split("\n")[0].split()[1] if Path("/proc/meminfo").exists() else "0"
    git = ["git", "rev-parse", "--short", "HEAD"]
    commit = subprocess.run(git, cwd=ROOT, capture_output=True, text=True, check=False).stdout  # noqa: S603
    return {
        "cpu": model,
        "cores": len(os.sched_getaffinity(0)),
        "memory_gib": round(int(mem) / 1024 / 1024, 1),
        "system": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "weasyprint": weasyprint.__version__,
        "database": engine,
        "commit": commit.strip(),
        "load_average_at_start": os.getloadavg(),
    }


def bench(plan: Plan, database_url: str | None, log=print) -> dict:
    started = time.perf_counter()
    phases: dict[str, float] = {}
    say = log

    def log(message: str) -> None:  # also notes when each phase began, for the time budget
        phases[message] = round(time.perf_counter() - started, 1)
        say(message)

    databases = Databases.create(database_url)
    servers: list[Server] = []
    results: dict = {"plan": asdict(plan), "machine": machine(databases.engine)}
    try:
        log(f"databases: {databases.engine}; migrating")
        migrate(databases)
        env = app_env(databases, BENCH_WARM_UP=WARM_UP)
        if plan.storage_checks:
            log("10. bytes per finished check")
            results["storage"] = storage_phase(env, plan)
        if plan.storage_only:
            return _finish(results, servers, databases, started, phases)
        if plan.pdf_only:
            pdf_tokens = _pdf_tokens(env, plan)
            log(f"3. {plan.report} report")
            single, cold = _one_worker_servers(env, databases)
            servers += [single, cold]
            results["pdf"] = pdf_phase(single, cold, pdf_tokens, plan)
            return _finish(results, servers, databases, started, phases)
        typical = scenario(env, "answers", "typical")
        if plan.anonymous_renderers:
            anonymous_tokens = scenario(env, "finished", plan.report, str(max(4, int(plan.mixed_window * 3))))
        if plan.renders_only:
            log("starting the app")
            app = Server("app", APP, env, plan.workers).start(databases.workdir)
            servers.append(app)
            log("11. wizard while anonymous people download reports")
            results["anonymous"] = anonymous_phase(app, typical, anonymous_tokens, plan)
            return _finish(results, servers, databases, started, phases)
        mixed_tokens = scenario(env, "finished", plan.report, str(max(4, int(plan.mixed_window * 2))))
        if not plan.wizard_only:
            pdf_tokens = _pdf_tokens(env, plan)
            memory_tokens = scenario(env, "finished", "typical", str(plan.memory_renders))

        log("starting the app and the reference wizard")
        app = Server("app", APP, env, plan.workers).start(databases.workdir)
        ref = Server("reference", REFERENCE, reference_env(databases), plan.workers).start(databases.workdir)
        servers += [app, ref]
        results["warm_up_s"] = [s for _, s in app.warm_lines()]
        log("1. wizard step round trips")
        results["wizard"] = wizard_phase(app, ref, typical, plan)
        if not plan.wizard_only:
            log("2. complete checks")
            results["complete_check"] = complete_check_phase(app, typical, plan)
            log("9. first PDF clicks right after submitting")
            results["first_click"] = first_click_phase(app, typical, plan)
        log("8. wizard while reports render")
        results["mixed"] = mixed_phase(app, typical, mixed_tokens, plan)
        if plan.anonymous_renderers:
            log("11. wizard while anonymous people download reports")
            results["anonymous"] = anonymous_phase(app, typical, anonymous_tokens, plan)
        if not plan.wizard_only:
            log("4. cached report")
            results["cached"] = cached_phase(app, pdf_tokens.pop(), plan)
            ref.stop()
            app.stop()

            log(f"3. {plan.report} report; 6. memory of one worker")
            single, cold = _one_worker_servers(env, databases)
            servers += [single, cold]
            results["pdf"] = pdf_phase(single, cold, pdf_tokens, plan)
            cold.stop()
            results["memory"] = memory_phase(single, memory_tokens, plan)
            single.stop()

            log("5. assess on the command line; 7. rule files")
            results["cli"] = cli_phase(env, databases.workdir, plan)
            results["rules"] = rules_phase(env, plan)
    except BaseException:
        _stop(servers, databases)
        raise
    return _finish(results, servers, databases, started, phases)


def _pdf_tokens(env: dict[str, str], plan: Plan) -> list:
    """Finished checks for figure 3 (a new report each download, fresh and warm, on both servers) and one for 4."""
    tokens = scenario(env, "finished", plan.report, str(2 * plan.pdf_first + plan.pdf_warm + 1))
    assert isinstance(tokens, list)
    return tokens


def _one_worker_servers(env: dict[str, str], databases: Databases) -> tuple[Server, Server]:
    """Figure 3's servers: one worker warmed up at its start as in production, and the same without the warm-up."""
    single = Server("app-one-worker", APP, env, 1).start(databases.workdir)
    cold = Server("app-without-warm-up", APP, app_env(databases), 1).start(databases.workdir)
    return single, cold


def _stop(servers: list[Server], databases: Databases) -> None:
    for server in servers:
        server.stop()
    if databases.engine == "sqlite":
        databases.drop()


def _finish(results: dict, servers: list[Server], databases: Databases, started: float, phases: dict) -> dict:
    results["server_errors"] = {s.name: s.errors() for s in servers}
    _stop(servers, databases)
    results["machine"]["load_average_at_end"] = os.getloadavg()
    results["seconds"] = time.perf_counter() - started
    results["phase_started_at_s"] = phases
    results["targets"] = verdicts(results)
    return results


def _ratio(a: float | None, b: float | None) -> float:
    return a / b if a and b else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--plan",
        choices=sorted([*PLANS, "scale"]),
        default="full",
        help=(
            "full: every figure; quick: figures 1 and 8 in short windows; storage: figure 10 alone; "
            "renders: figure 11 alone; pdf: figure 3 alone; smoke: everything with tiny numbers; "
            "scale: the chamber dashboard and CSV with 2,000 and 200,000 statistics rows"
        ),
    )
    parser.add_argument("--smoke", action="store_true", help="the same as --plan smoke")
    parser.add_argument("--out", help="where to write the results (JSON); default bench/results.json for --plan full")
    args = parser.parse_args(argv)
    name = "smoke" if args.smoke else args.plan
    # Only a full run replaces the figures kept in the repository.
    args.out = args.out or str(
        BENCH / "results.json" if name == "full" else Path(tempfile.gettempdir()) / f"bench-{name}.json"
    )
    if name == "scale":
        results = scale_bench(os.environ.get("DATABASE_URL"), log=lambda m: print(m, file=sys.stderr, flush=True))
        Path(args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        print(scale_table(results))
        print(f"\nwritten to {args.out}")
        return 0
    results = bench(
        PLANS[name],
        os.environ.get("DATABASE_URL"),
        log=lambda m: print(m, file=sys.stderr, flush=True),
    )
    Path(args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(table(results))
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
