"""The data-driven cases in tests/cases/*.yaml: answers -> expected findings and band."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

CASES_DIR = Path(__file__).resolve().parent / "cases"


@dataclass(frozen=True)
class Case:
    checklist: str
    name: str
    answers: dict[str, object]
    expect: dict[str, object]

    def __str__(self) -> str:
        return self.name


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        bases = data.get("bases", {})
        for raw in data["cases"]:
            base = bases.get(raw.get("base"), {"answers": {}})
            answers = dict(base["answers"])
            for key, value in (raw.get("answers") or {}).items():
                if value is None:
                    answers.pop(key, None)
                else:
                    answers[key] = value
            expect = {"not_applicable": base.get("not_applicable", []), **raw["expect"]}
            cases.append(Case(data["checklist"], raw["name"], answers, expect))
    return cases


CASES = load_cases()
