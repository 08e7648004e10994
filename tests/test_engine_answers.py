"""Answers are checked against the checklist; answers files are read with clear messages."""

import json

from compliance_wizard.engine import check_answers, parse_answers, visible_steps


def test_unknown_question_with_suggestion(website):
    check = check_answers(website, {"has_sight": "yes"})
    assert "unknown question 'has_sight' (did you mean 'has_site'?)" in check.problems


def test_invalid_option_lists_the_valid_ones(website):
    check = check_answers(website, {"site_kind": "blog", "has_site": "yes"})
    assert "'blog' is not an answer to 'site_kind'; choose one of: shop, info, unknown" in check.problems


def test_wrong_types_are_problems_not_crashes(website):
    check = check_answers(website, {"has_site": ["yes"], "newsletter_optin": {"a": 1}, 5: "x"})
    assert len([p for p in check.problems if "is not an answer" in p]) == 2
    assert any("unknown question '5'" in p for p in check.problems)


def test_missing_answers_only_for_questions_that_are_asked(website):
    check = check_answers(website, {"has_site": "no"})
    assert check.problems == ["missing answer to 'newsletter_optin' (step 'mail'); choose one of: yes, no, unknown"]


def test_answers_to_hidden_questions_are_dropped_with_a_warning(website):
    check = check_answers(website, {"has_site": "no", "imprint": "yes", "newsletter_optin": "yes"})
    assert check.ok
    assert "imprint" not in check.answers
    assert check.warnings == ["answer to 'imprint' is ignored: the question is not asked with the other answers"]


def test_yaml_yes_and_no_are_accepted(website):
    check = check_answers(website, {"has_site": False, "newsletter_optin": True})
    assert check.answers == {"has_site": "no", "newsletter_optin": "yes"}


def test_steps_are_skipped_when_their_condition_fails(website):
    assert [s.id for s, _ in visible_steps(website, {"has_site": "no"})] == ["basics", "mail"]
    assert [s.id for s, _ in visible_steps(website, {"has_site": "yes"})] == ["basics", "details", "mail"]


def test_answers_not_a_mapping(website):
    assert check_answers(website, ["has_site"]).problems == ["answers must be a mapping of question id to answer"]


class TestAnswersFile:
    def test_yaml_document(self):
        doc = parse_answers(
            "checklist: website-basics\nlanguage: en\nbusiness:\n  name: Muster\n  website: https://m.example\n"
            "answers:\n  has_site: no\n",
            "a.yaml",
        )
        assert doc.problems == []
        assert (doc.checklist, doc.language, doc.business_name, doc.website) == (
            "website-basics",
            "en",
            "Muster",
            "https://m.example",
        )
        assert doc.answers == {"has_site": False}

    def test_json_document(self):
        doc = parse_answers(json.dumps({"answers": {"has_site": "no"}}), "a.json", as_json=True)
        assert doc.problems == [] and doc.answers == {"has_site": "no"}

    def test_every_problem_is_listed(self):
        doc = parse_answers(
            "language: fr\nextra: 1\nbusiness:\n  name: [1]\n  website: ftp://x\n  phone: 1\n", "a.yaml"
        )
        assert doc.problems == [
            "a.yaml: unknown key 'extra' (allowed: checklist, language, business, answers, details)",
            "a.yaml: missing key 'answers'",
            "a.yaml: language: 'fr' is not one of de, en",
            "a.yaml: business: unknown key 'phone' (allowed: name, website)",
            "a.yaml: business.name: must be text of at most 200 characters",
            "a.yaml: business.website: must be a web address starting with http:// or https://",
        ]

    def test_a_business_name_is_one_line_of_printable_text(self):
        doc = parse_answers(
            json.dumps({"business": {"name": "Maler\u202e Muster\r\nGmbH"}, "answers": {}}), "a.json", True
        )
        assert doc.problems == [] and doc.business_name == "Maler Muster GmbH"

    def test_broken_json_names_the_line(self):
        doc = parse_answers('{"answers": {\n', "a.json", as_json=True)
        assert doc.problems[0].startswith("a.json: line 2")

    def test_not_a_mapping(self):
        assert "must be a mapping" in parse_answers("- a\n", "a.yaml").problems[0]


def test_steps_still_to_come_count_unanswered_questions_as_dont_know(website):
    # Before "Do you have a website?" is answered, the details step may still come.
    assert [s.id for s, _ in visible_steps(website, {})] == ["basics", "mail"]
    assert [s.id for s, _ in visible_steps(website, {}, assume_unknown=True)] == ["basics", "details", "mail"]
    # Once answered, the prediction and the real path agree.
    for answers in ({"has_site": "no"}, {"has_site": "yes", "site_kind": "shop"}):
        assert visible_steps(website, answers, assume_unknown=True)[0][0].id == "basics"
    assert [s.id for s, _ in visible_steps(website, {"has_site": "no"}, assume_unknown=True)] == ["basics", "mail"]
