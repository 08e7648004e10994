"""The scoring formula, the bands and the caps, on small checklists whose sums are easy to follow.

Weights: critical 10, high 5, medium 3, low 1. The website-basics fixture has imprint (critical),
consent (high), newsletter (medium), shop-terms (low, shops only) and a note (never counted). The caps
fixture has one critical, one high and ten medium requirements (45 points in all).
"""

import json

import pytest

from compliance_wizard.engine import AnswersError, Status, evaluate, fill_template, load_checklist
from tests.conftest import FIXTURES

CAPS = load_checklist(FIXTURES / "scoring" / "caps.yaml")
CAPS_ALL_MET = {q: "yes" for q in CAPS.questions}

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
    }
    assert result.score == 100
    assert result.notes == ()  # the note applies only with a website


def test_notes_are_shown_where_they_apply_and_never_count(website):
    result = evaluate(website, ALL_GOOD)
    assert [n.id for n in result.notes] == ["note"]
    assert (result.score, result.band) == (100, "green")
    assert "note" not in statuses(result)  # a note is not a requirement: never met, never a gap
    assert result.counts()["note"] == 1
    data = result.to_dict("de")
    note = next(f for f in data["findings"] if f["id"] == "note")
    assert (note["status"], note["status_label"]) == ("note", "Hinweis")
    assert note["lowers_risk"] == ["Lesen."] and note["remediation"] == []
    assert note["why"] == "Gut zu wissen."


class TestCaps:
    """Band and score agree: the band follows from the shown score, and open serious points cap it."""

    def test_everything_met_is_100_and_green(self):
        assert (evaluate(CAPS, CAPS_ALL_MET).score, evaluate(CAPS, CAPS_ALL_MET).band) == (100, "green")

    def test_an_open_critical_gap_holds_the_score_at_59_and_red(self):
        result = evaluate(CAPS, CAPS_ALL_MET | {"critical": "no"})  # 35 of 45 points would be 78
        assert (result.score, result.band) == (59, "red")
        assert result.capped_by == ("critical",)
        assert result.to_dict("en")["cap"] == {"limit": 59, "kind": "critical_gap"}

    def test_a_critical_point_to_clarify_holds_it_at_84_and_amber(self):
        result = evaluate(CAPS, CAPS_ALL_MET | {"critical": "unknown"})
        assert (result.score, result.band) == (78, "amber")  # below the cap already: no cap named
        assert result.cap is None
        result = evaluate(CAPS, CAPS_ALL_MET | {"medium_0": "unknown"} | {"critical": "yes"})
        assert result.band == "green"

    def test_an_open_high_gap_holds_the_score_at_84_and_amber(self):
        result = evaluate(CAPS, CAPS_ALL_MET | {"high": "no"})  # 40 of 45 points would be 89
        assert (result.score, result.band) == (84, "amber")
        assert result.capped_by == ("high",)
        assert result.to_dict("de")["cap"] == {"limit": 84, "kind": "serious_open"}

    def test_a_high_point_to_clarify_also_holds_it_below_green(self):
        result = evaluate(CAPS, CAPS_ALL_MET | {"high": "unknown"})
        assert (result.score, result.band) == (84, "amber")

    def test_the_critical_cap_wins_over_the_high_one(self):
        result = evaluate(CAPS, CAPS_ALL_MET | {"critical": "no", "high": "no"})  # 30 of 45 = 67
        assert (result.score, result.band) == (59, "red")
        assert result.capped_by == ("critical",)

    def test_open_medium_points_only_cost_their_weight(self):
        result = evaluate(CAPS, CAPS_ALL_MET | {"medium_0": "no"})  # 42 of 45 = 93
        assert (result.score, result.band, result.cap) == (93, "green", None)

    def test_a_score_already_below_the_cap_is_not_called_capped(self, website):
        result = evaluate(website, ALL_GOOD | {"imprint": "no"})  # 9 of 19 = 47
        assert (result.score, result.band, result.capped_by) == (47, "red", ())


class TestClarifyIf:
    """Answers that are lawful only under conditions the check cannot see leave a requirement open."""

    RULES = FIXTURES / "checklists" / "website-basics.yaml"

    def checklist(self, tmp_path):
        import yaml

        data = yaml.safe_load(self.RULES.read_text(encoding="utf-8"))
        data["requirements"][1]["clarify_if"] = [
            {"if": {"question": "site_kind", "equals": "info"}, "reason": {"de": "Weil offen.", "en": "Still open."}}
        ]
        path = tmp_path / "rules.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return load_checklist(path)

    def test_a_matching_answer_makes_a_gap_to_clarify_with_its_reason(self, tmp_path):
        result = evaluate(self.checklist(tmp_path), ALL_GOOD | {"site_kind": "info", "consent_banner": "no"})
        consent = next(f for f in result.to_dict("de")["findings"] if f["id"] == "consent")
        assert (consent["status"], consent["clarify_reason"]) == ("to_clarify", "Weil offen.")
        assert consent["unclear_questions"] == []

    def test_it_never_overrides_met_and_other_answers_stay_gaps(self, tmp_path):
        checklist = self.checklist(tmp_path)
        assert statuses(evaluate(checklist, ALL_GOOD | {"site_kind": "info"}))["consent"] == "met"
        assert statuses(evaluate(checklist, ALL_GOOD | {"consent_banner": "no"}))["consent"] == "gap"


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


def test_a_critical_gap_caps_the_whatsapp_score_in_red(whatsapp):
    # WhatsApp: only the processing agreement is missing -> about 90 points, shown as 59 and red.
    from tests.cases import CASES

    case = next(c for c in CASES if "without the processing agreement" in c.name)
    result = evaluate(whatsapp, case.answers)
    assert (result.score, result.band) == (59, "red")
    assert result.capped_by == ("avv-whatsapp",)


def test_an_unclear_critical_requirement_caps_the_whatsapp_score_in_amber(whatsapp):
    from tests.cases import CASES

    case = next(c for c in CASES if "Not knowing about the processing agreement" in c.name)
    result = evaluate(whatsapp, case.answers)
    assert (result.score, result.band) == (84, "amber")


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


def test_addresses_the_check_does_not_know_stay_marked_blanks():
    assert fill_template("{privacy_url} · {imprint_url}", "de") == (
        "[Adresse Ihrer Datenschutzerklärung] · [Adresse Ihres Impressums]"
    )
    # With the website known the blank says where to look, and is still a blank to fill in.
    assert fill_template("{privacy_url}", "en", "", "https://maler.example/") == (
        "[address of your privacy policy on https://maler.example]"
    )
