"""The scoring formula, the bands and knock-outs, on a small checklist whose sums are easy to follow.

Weights: critical 10, high 5, medium 3, low 1, info 0. The website-basics fixture has
imprint (critical), consent (high), newsletter (medium), shop-terms (low, shops only)
and note (info).
"""

import json

import pytest

from compliance_wizard.engine import AnswersError, Status, evaluate, fill_template

ALL_GOOD = {
    "has_site": "yes",
    "site_kind": "shop",
    "imprint": "yes",
    "consent_banner": "yes",
    "newsletter_optin": "yes",
}


def statuses(result):
    return {f.requirement.id: f.status.value for f in result.findings}


def test_everything_met_scores_100_and_green(website):
    result = evaluate(website, ALL_GOOD)
    assert (result.score, result.band) == (100, "green")
    assert set(statuses(result).values()) == {"met"}


def test_score_is_the_met_share_of_applicable_weight(website):
    # consent (5) and shop-terms (1) are gaps: met 10 + 3 = 13 of 19 -> 68.4 -> 68
    result = evaluate(website, ALL_GOOD | {"consent_banner": "no"})
    assert result.score == 68
    assert result.band == "amber"


def test_rounding_is_half_up(website):
    # info site: imprint 10, consent 5, newsletter 3 = 18; newsletter missing -> 15/18 = 83.33 -> 83
    result = evaluate(website, ALL_GOOD | {"site_kind": "info", "newsletter_optin": "no"})
    assert result.score == 83


def test_requirements_that_do_not_apply_carry_no_weight(website):
    result = evaluate(website, {"has_site": "no", "newsletter_optin": "yes"})
    assert statuses(result) == {
        "imprint": "not_applicable",
        "consent": "not_applicable",
        "newsletter": "met",
        "shop-terms": "not_applicable",
        "note": "met",
    }
    assert result.score == 100


def test_info_requirements_never_cost_points(website):
    result = evaluate(website, {"has_site": "no", "newsletter_optin": "no"})
    assert result.score == 0  # newsletter (3) is the only weight and it is open
    assert statuses(result)["note"] == "gap"


def test_dont_know_is_never_met(website):
    result = evaluate(website, ALL_GOOD | {"newsletter_optin": "unknown"})
    finding = next(f for f in result.findings if f.requirement.id == "newsletter")
    assert finding.status is Status.TO_CLARIFY
    assert finding.unclear == ("newsletter_optin",)
    assert result.score == 84  # 16 of 19


def test_dont_know_upstream_asks_the_follow_up_and_applies_the_rule(website):
    answers = {
        "has_site": "unknown",
        "site_kind": "unknown",
        "imprint": "yes",
        "consent_banner": "yes",
        "newsletter_optin": "yes",
    }
    result = evaluate(website, answers)
    assert statuses(result)["imprint"] == "met"
    assert statuses(result)["shop-terms"] == "met"  # applies when in doubt, and its condition holds


def test_a_critical_gap_caps_the_band_at_red(whatsapp):
    # WhatsApp: only the processing agreement is missing -> 89 points, still red.
    from tests.cases import CASES

    case = next(c for c in CASES if "without the processing agreement" in c.name)
    result = evaluate(whatsapp, case.answers)
    assert result.score >= 85
    assert result.band == "red"
    assert result.capped_by == ("avv-whatsapp",)


def test_an_unclear_critical_requirement_caps_the_band_at_amber(whatsapp):
    from tests.cases import CASES

    case = next(c for c in CASES if "Not knowing about the processing agreement" in c.name)
    result = evaluate(whatsapp, case.answers)
    assert result.score >= 85
    assert result.band == "amber"


def test_findings_are_sorted_most_severe_first(whatsapp):
    from tests.cases import CASES

    result = evaluate(whatsapp, CASES[0].answers)
    ranks = [f.requirement.severity.rank for f in result.findings]
    assert ranks == sorted(ranks)


def test_invalid_answers_raise_with_every_problem(website):
    with pytest.raises(AnswersError) as info:
        evaluate(website, {"has_site": "maybe", "colour": "red"})
    problems = "\n".join(info.value.problems)
    assert "'maybe' is not an answer to 'has_site'" in problems
    assert "unknown question 'colour'" in problems
    assert "missing answer to 'newsletter_optin'" in problems


class TestDeterminism:
    def test_same_answers_same_result(self, whatsapp):
        from tests.cases import CASES

        for case in CASES[:5]:
            first = evaluate(whatsapp, case.answers).to_dict("de")
            again = evaluate(whatsapp, dict(reversed(list(case.answers.items())))).to_dict("de")
            assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)

    def test_result_names_checklist_version_and_hash(self, website):
        data = evaluate(website, ALL_GOOD).to_dict("en")
        assert data["checklist"] == {
            "id": "website-basics",
            "version": "0.1",
            "hash": website.content_hash,
            "title": "Website basics",
        }
        assert len(website.content_hash) == 64


class TestResultData:
    def test_to_dict_is_json_and_localised(self, website):
        data = evaluate(website, ALL_GOOD | {"imprint": "no"}).to_dict(
            "de", "Malerei <b>Muster</b>", "https://maler.example/"
        )
        json.dumps(data)
        assert data["band"] == {"id": "red", "label": "Dringender Handlungsbedarf"}
        gap = next(f for f in data["findings"] if f["id"] == "imprint")
        assert gap["title"] == "Impressum vorhanden"
        assert gap["remediation"] == ["Impressum anlegen."]
        assert gap["severity_label"] == "Kritisch"
        assert data["templates"] == [
            {
                "id": "imprint-text",
                "title": "Impressum",
                "usage": "Auf die Website.",
                # filled verbatim: escaping is the renderer's job, trailing slash dropped
                "text": "Anbieter: Malerei <b>Muster</b>, https://maler.example/impressum",
            }
        ]

    def test_met_findings_carry_no_remediation(self, website):
        data = evaluate(website, ALL_GOOD).to_dict("en")
        assert all(f["remediation"] == [] for f in data["findings"])
        assert data["templates"] == []

    def test_clarify_text_only_when_to_clarify(self, website):
        data = evaluate(website, ALL_GOOD | {"imprint": "unknown"}).to_dict("en")
        imprint = next(f for f in data["findings"] if f["id"] == "imprint")
        assert imprint["clarify"] == "Look at the website."
        assert imprint["unclear_questions"] == [{"id": "imprint", "text": "Is there a legal notice?"}]


def test_templates_get_defaults_without_business_details():
    assert fill_template("{business_name} – {website}/x", "de") == "[Name Ihres Betriebs] – [Adresse Ihrer Website]/x"


def test_templates_are_not_format_strings():
    assert fill_template("{business_name}", "en", "{website} {0.__class__}") == "{website} {0.__class__}"
