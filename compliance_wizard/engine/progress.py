"""What changed between two results of the same checklist: the gaps closed, the new ones, the score.

Works on the frozen `Result.to_dict()` form, because a stored assessment keeps its result as it was
scored: the earlier check may have used an older version of the rule files.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OPEN_STATUSES = ("gap", "to_clarify")


def finding_kind(finding: Mapping[str, Any]) -> str:
    """gap, to_clarify, met, not_applicable or note, for a finding of any stored result.

    Results stored before notes existed kept their residual risks as open findings of severity "info".
    """
    if finding["status"] == "note" or (finding["status"] in OPEN_STATUSES and finding["severity"] == "info"):
        return "note"
    return str(finding["status"])


def is_gap(finding: Mapping[str, Any]) -> bool:
    return finding_kind(finding) in OPEN_STATUSES


def _entry(finding: Mapping[str, Any]) -> dict[str, str]:
    return {
        "id": str(finding["id"]),
        "title": str(finding["title"]),
        "severity": str(finding["severity"]),
        "severity_label": str(finding["severity_label"]),
        "status": str(finding["status"]),
        "status_label": str(finding["status_label"]),
    }


def compare_results(previous: Mapping[str, Any], current: Mapping[str, Any], previous_date: str = "") -> dict[str, Any]:
    """Progress from `previous` to `current`; titles and labels come from `current` where it has them.

    closed:     a gap before, not a gap now (met, not applicable, or no longer a requirement)
    new:        a gap now that was not one before
    still_open: a gap then and now
    """
    before = {f["id"]: f for f in previous["findings"]}
    now = {f["id"]: f for f in current["findings"]}
    gaps_before = [i for i, f in before.items() if is_gap(f)]
    gaps_now = [i for i, f in now.items() if is_gap(f)]
    return {
        "previous": {
            "date": previous_date,
            "score": previous["score"],
            "band": dict(previous["band"]),
            "checklist_version": previous["checklist"]["version"],
        },
        "score": current["score"],
        "score_change": int(current["score"]) - int(previous["score"]),
        "closed": [_entry(now.get(i, before[i])) for i in gaps_before if i not in gaps_now],
        "new": [_entry(now[i]) for i in gaps_now if i not in gaps_before],
        "still_open": [_entry(now[i]) for i in gaps_now if i in gaps_before],
    }
