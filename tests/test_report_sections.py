"""Which three points a result puts first: critical before high, gaps before points to clarify, then the
least effort. The same rule for the result page and the PDF."""

from compliance_wizard.report.sections import next_steps


def row(finding_id, severity, kind, steps=3, next_step=""):
    return {
        "id": finding_id,
        "severity": severity,
        "kind": kind,
        "remediation": [f"{finding_id} step {n}" for n in range(1, steps + 1)],
        "clarify": f"{finding_id}: check this",
        "next_step": next_step,
    }


def ids(rows):
    return [r["id"] for r in next_steps(rows)]


def test_critical_comes_before_high_whatever_the_order_of_the_rule_files():
    assert ids([row("a", "high", "gap"), row("b", "medium", "gap"), row("c", "critical", "gap")]) == ["c", "a", "b"]


def test_a_gap_comes_before_a_point_to_clarify_of_the_same_risk():
    assert ids([row("unclear", "critical", "to_clarify"), row("gap", "critical", "gap")]) == ["gap", "unclear"]


def test_a_critical_point_to_clarify_still_comes_before_a_high_gap():
    assert ids([row("gap", "high", "gap"), row("unclear", "critical", "to_clarify")]) == ["unclear", "gap"]


def test_within_the_same_risk_and_kind_the_shorter_fix_comes_first():
    assert ids([row("long", "high", "gap", steps=6), row("short", "high", "gap", steps=2)]) == ["short", "long"]


def test_only_open_points_and_at_most_three():
    rows = [row(f"g{n}", "medium", "gap") for n in range(5)] + [row("ok", "critical", "met")]
    assert ids(rows) == ["g0", "g1", "g2"]


def test_the_first_step_is_the_rule_files_next_step_sentence():
    [first] = next_steps([row("a", "high", "gap", next_step="Do this today.")])
    assert first["first_step"] == "Do this today."


def test_a_result_stored_without_next_steps_falls_back_to_the_first_step_or_what_to_check():
    gap, unclear = next_steps([row("gap", "high", "gap"), row("unclear", "high", "to_clarify")])
    assert gap["first_step"] == "gap step 1"
    assert unclear["first_step"] == "unclear: check this"
