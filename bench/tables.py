"""The benchmark's targets, their verdicts, and the tables `python -m bench.run` prints from its results."""

from __future__ import annotations

SCALE_TARGET = 3.0  # the scale plan: large / small, with the finished months' counts kept

TARGETS = {
    "wizard_ratio": ">= 1.0",
    "wizard_p99_ms": "<= 60",
    "pdf_ratio_per_page": "<= 1.3",
    "pdf_first_vs_warm": "<= +20 %",
    "cached_p50_ms": "<= 20",
    "worker_peak_mib": "<= 150",
    "worker_growth_mib": "none (< 1)",
    "rules_ms": "<= 50",
    "mixed_p99_ms": "< 100",
    "first_click_share": ">= 95 %",
    "storage_kb_at_rest": "<= 60",
    "anonymous_p99_ratio": "<= 2",
}


def scale_table(r: dict) -> str:
    small, large = r["rows"]["small"], r["rows"]["large"]
    lines = [f"{'page':<10} {'kind':<5} {small:>10,} rows {large:>10,} rows {'ratio':>7}"]
    for page in ("dashboard", "csv"):
        for kind in ("cold", "warm"):
            a, b = r["pages"][f"{page}_small"][f"{kind}_ms"], r["pages"][f"{page}_large"][f"{kind}_ms"]
            lines.append(f"{page:<10} {kind:<5} {a:>12.1f} ms {b:>12.1f} ms {b / a:>7.2f}")
    verdict = "met" if r["met"] else "NOT met"
    lines.append(f"target: warm ratio <= {SCALE_TARGET}: {verdict} ({r['machine']['database']})")
    return "\n".join(lines)


def verdicts(r: dict) -> dict[str, dict]:
    """Each target against its figure; a plan that skipped a phase (quick) has no verdict for it."""
    figures = {
        "wizard_ratio": ("wizard", lambda: r["wizard"]["ratio"], lambda v: v >= 1.0),
        "wizard_p99_ms": ("wizard", lambda: r["wizard"]["app"]["p99_ms"], lambda v: v <= 60),
        "pdf_ratio_per_page": ("pdf", lambda: r["pdf"]["ratio_per_page"], lambda v: v <= 1.3),
        "pdf_first_vs_warm": ("pdf", lambda: r["pdf"]["first_vs_warm"], lambda v: v <= 0.2),
        "cached_p50_ms": ("cached", lambda: r["cached"]["downloads"]["p50_ms"], lambda v: v <= 20),
        "worker_peak_mib": ("memory", lambda: r["memory"]["peak_mib"], lambda v: v <= 150),
        "worker_growth_mib": ("memory", lambda: r["memory"]["growth_mib"], lambda v: v < 1),
        "rules_ms": ("rules", lambda: r["rules"]["median_ms"], lambda v: v <= 50),
        "mixed_p99_ms": ("mixed", lambda: r["mixed"]["with_reports"]["p99_ms"], lambda v: v < 100),
        "first_click_share": ("first_click", lambda: r["first_click"]["share_within_1s"], lambda v: v >= 0.95),
        "anonymous_p99_ratio": ("anonymous", lambda: r["anonymous"]["p99_ratio"], lambda v: v <= 2),
        "storage_kb_at_rest": ("storage", lambda: r["storage"]["bytes_per_check_at_rest"] / 1000, lambda v: v <= 60),
    }
    verdict = {}
    for name, (section, value, check) in figures.items():
        if section in r:
            verdict[name] = {"value": value(), "target": TARGETS[name], "met": bool(check(value()))}
    return verdict


def table(r: dict) -> str:
    t = r["targets"]

    def mark(name: str) -> str:
        return f"{t[name]['target']:>10}  {'met' if t[name]['met'] else 'NOT MET'}"

    rows = _wizard_rows(r, mark) if "wizard" in r else []
    if r["plan"].get("pdf_only"):
        rows += _pdf_rows(r, mark)
    if "anonymous" in r:
        a = r["anonymous"]
        rows += [
            (
                f"11 wizard p99, {a['users']} users, {a['workers']} workers: with {a['renderers']} anonymous "
                "downloaders / alone",
                f"{a['p99_ratio']:.2f}",
                mark("anonymous_p99_ratio"),
            ),
            (
                "  p99 ms alone / with; steps/s alone / with",
                f"{a['alone']['p99_ms']:.0f} / {a['with_renders']['p99_ms']:.0f}; "
                f"{a['alone'].get('per_second', 0):.0f} / {a['with_renders'].get('per_second', 0):.0f}",
                "",
            ),
            (
                "  reports delivered meanwhile, p50 s; clicks turned away",
                f"{a['renders']['count']}, {a['renders']['p50_ms'] / 1000:.1f}; {a['turned_away']}",
                "",
            ),
        ]
    if "storage" in r:
        g = r["storage"]
        rows += [
            (
                f"10 bytes per finished check at rest (PDF expired), {g['checks']} checks, KB",
                f"{g['bytes_per_check_at_rest'] / 1000:.1f}",
                mark("storage_kb_at_rest"),
            ),
            (
                "  frozen result: JSON / stored compressed KB",
                f"{g['result_json_bytes'] / 1000:.0f} / {g['result_stored_bytes'] / 1000:.1f}",
                "",
            ),
            ("  stored PDF, until unused for REPORT_CACHE_DAYS, KB", f"{g['pdf_bytes_per_check'] / 1000:.0f}", ""),
        ]
    width = max(len(row[0]) for row in rows)
    lines = [f"{name:<{width}}  {value:>14}  {verdict}".rstrip() for name, value, verdict in rows]
    mach = r["machine"]
    lines.append(
        f"\n{mach['cpu']}, {mach['cores']} cores, {mach['database']}, Python {mach['python']}; "
        f"load average {mach['load_average_at_start'][0]:.1f} at start, {mach['load_average_at_end'][0]:.1f} at end; "
        f"{r['seconds']:.0f} s"
    )
    return "\n".join(lines)


def _wizard_rows(r: dict, mark) -> list[tuple[str, str, str]]:
    w, x = r["wizard"], r["mixed"]
    rows = [
        (f"1 wizard step round trip, {w['users']} users", "", ""),
        ("  app: steps/s", f"{w['app'].get('per_second', 0):.0f}", ""),
        ("  reference (bare formtools): steps/s", f"{w['reference'].get('per_second', 0):.0f}", ""),
        ("  ratio app / reference", f"{w['ratio']:.2f}", mark("wizard_ratio")),
        ("  app p50 / p95 / p99 ms", _pcts(w["app"]), mark("wizard_p99_ms")),
        ("  reference p50 / p95 / p99 ms", _pcts(w["reference"]), ""),
        ("  p99 app / reference", f"{w['p99_ratio']:.2f}", ""),
        ("  app POST alone (302) p50 / p95 / p99 ms", _pcts(w["app_post"]), ""),
        (
            "  server CPU ms per step: app / reference",
            f"{w['app_cpu_ms_per_step']:.1f} / {w['reference_cpu_ms_per_step']:.1f}",
            "",
        ),
    ]
    if "pdf" in r:  # not in the quick plan
        rows += _other_rows(r, mark)
    rows += [
        (
            f"8 wizard p99 ms, {x['users']} users: alone / while rendering",
            f"{x['alone']['p99_ms']:.0f} / {x['with_reports']['p99_ms']:.0f}",
            mark("mixed_p99_ms"),
        ),
        (
            "  steps/s alone / while rendering",
            f"{x['alone'].get('per_second', 0):.0f} / {x['with_reports'].get('per_second', 0):.0f}",
            "",
        ),
        ("  reports rendered meanwhile, p50 s", f"{x['renders']['count']}, {x['renders']['p50_ms'] / 1000:.1f}", ""),
    ]
    if "first_click" in r:  # not in the quick plan
        k = r["first_click"]
        rows += [
            (
                f"9 first PDF click after submitting, {k['users']} users: answered < 1 s",
                f"{k['share_within_1s']:.0%} ({k['answered_within_1s']} of {k['clicks']['count']})",
                mark("first_click_share"),
            ),
            ("  first click p50 / p95 / p99 ms", _pcts(k["clicks"]), ""),
            (
                "  from the click to the PDF p50 / max s",
                f"{k['until_pdf']['p50_ms'] / 1000:.1f} / {k['until_pdf']['max_ms'] / 1000:.1f}",
                "",
            ),
        ]
    return rows


def _other_rows(r: dict, mark) -> list[tuple[str, str, str]]:
    c, m = r["complete_check"], r["memory"]
    return [
        (f"2 complete check, {c['users']} users: checks/s", f"{c['checks'].get('per_second', 0):.1f}", ""),
        ("  p95 per request ms", f"{c['requests']['p95_ms']:.0f}", ""),
        *_pdf_rows(r, mark),
        ("4 cached report p50 ms", f"{r['cached']['downloads']['p50_ms']:.1f}", mark("cached_p50_ms")),
        (
            "5 assess --pdf: wall s / peak MiB",
            f"{r['cli']['assess']['wall_s']:.2f} / {r['cli']['assess']['peak_mib']:.0f}",
            "",
        ),
        (
            "  python -c 'import django': wall s / peak MiB",
            f"{r['cli']['baseline']['wall_s']:.2f} / {r['cli']['baseline']['peak_mib']:.0f}",
            "",
        ),
        (f"6 one worker, {m['renders']} renders: peak MiB", f"{m['peak_mib']:.0f}", mark("worker_peak_mib")),
        ("  peak of a render child (forked per report) MiB", f"{m['render_child_peak_mib']:.0f}", ""),
        (
            f"  growth from render {max(1, m['renders'] // 2)} to {m['renders']} MiB",
            f"{m['growth_mib']:+.1f}",
            mark("worker_growth_mib"),
        ),
        ("7 load + validate rule files ms", f"{r['rules']['median_ms']:.0f}", mark("rules_ms")),
    ]


def _pdf_rows(r: dict, mark) -> list[tuple[str, str, str]]:
    p = r["pdf"]
    return [
        (f"3 {r['plan']['report']}-case report: pages", f"{p['pages']}", ""),
        (
            f"  warm median s (reference: {p['reference_pages']} pages)",
            f"{p['warm_median_s']:.2f} ({p['reference_median_s']:.2f})",
            "",
        ),
        (
            "  ratio per page, median of pairs (of the medians; whole document)",
            f"{p['ratio_per_page']:.2f} ({p['ratio_per_page_of_medians']:.2f}; {p['ratio_whole']:.2f})",
            mark("pdf_ratio_per_page"),
        ),
        (
            "  characters of text per page: report / reference",
            f"{p['characters_per_page']:,.0f} / {p['reference_characters_per_page']:,.0f}",
            "",
        ),
        ("  first from a fresh worker vs warm", f"{p['first_vs_warm']:+.0%}", mark("pdf_first_vs_warm")),
        ("  the same without the warm-up at worker start", f"{p['first_without_warm_up_vs_warm']:+.0%}", ""),
    ]


def _pcts(s: dict) -> str:
    return f"{s['p50_ms']:.0f} / {s['p95_ms']:.0f} / {s['p99_ms']:.0f}"
