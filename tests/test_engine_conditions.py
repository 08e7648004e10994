"""The condition language: three-valued logic, 'don't know' stays open, hidden questions are false."""

import pytest

from compliance_wizard.engine import conditions

OPTIONS = {"q": ("yes", "no", "unknown"), "kind": ("a", "b", "unknown")}


def parse(raw):
    errors = []
    condition = conditions.parse(raw, "c", OPTIONS, lambda path, message: errors.append((path, message)))
    return condition, errors


def test_equals_matches_the_named_option():
    condition, errors = parse({"question": "q", "equals": "yes"})
    assert errors == []
    assert condition.evaluate({"q": "yes"}) is True
    assert condition.evaluate({"q": "no"}) is False


def test_dont_know_is_neither_true_nor_false():
    condition, _ = parse({"question": "q", "equals": "yes"})
    assert condition.evaluate({"q": "unknown"}) is None


def test_dont_know_matches_when_the_rule_names_it():
    condition, _ = parse({"question": "kind", "one_of": ["a", "unknown"]})
    assert condition.evaluate({"kind": "unknown"}) is True
    assert condition.evaluate({"kind": "b"}) is False


def test_a_question_that_was_not_asked_compares_false():
    condition, _ = parse({"question": "q", "equals": "yes"})
    assert condition.evaluate({}) is False


def test_yaml_booleans_mean_yes_and_no():
    condition, errors = parse({"question": "q", "one_of": [True, False]})
    assert errors == []
    assert condition.evaluate({"q": "no"}) is True


@pytest.mark.parametrize(
    ("left", "right", "all_", "any_"),
    [
        ("yes", "yes", True, True),
        ("yes", "no", False, True),
        ("no", "no", False, False),
        ("unknown", "yes", None, True),
        ("unknown", "no", False, None),
        ("unknown", "unknown", None, None),
    ],
)
def test_all_and_any_follow_three_valued_logic(left, right, all_, any_):
    parts = [{"question": "q", "equals": "yes"}, {"question": "kind", "equals": "a"}]
    answers = {"q": left, "kind": {"yes": "a", "no": "b", "unknown": "unknown"}[right]}
    assert parse({"all": parts})[0].evaluate(answers) is all_
    assert parse({"any": parts})[0].evaluate(answers) is any_


def test_not_keeps_dont_know_open():
    condition, _ = parse({"not": {"question": "q", "equals": "yes"}})
    assert condition.evaluate({"q": "no"}) is True
    assert condition.evaluate({"q": "unknown"}) is None


def test_answered_counts_dont_know_as_an_answer():
    condition, _ = parse({"question": "q", "answered": True})
    assert condition.evaluate({"q": "unknown"}) is True
    assert condition.evaluate({}) is False


def test_questions_lists_every_question_named():
    condition, _ = parse({"all": [{"question": "q", "equals": "yes"}, {"not": {"question": "kind", "equals": "a"}}]})
    assert condition.questions() == {"q", "kind"}


@pytest.mark.parametrize(
    ("raw", "path", "message"),
    [
        ({"question": "nope", "equals": "yes"}, "c.question", "unknown question 'nope'"),
        ({"question": "q", "equals": "maybe"}, "c.equals", "'maybe' is not an option of question 'q'"),
        ({"question": "q", "one_of": []}, "c.one_of", "non-empty list"),
        ({"question": "q"}, "c", "exactly one of"),
        ({"question": "q", "equals": "yes", "one_of": ["no"]}, "c", "exactly one of"),
        ({"all": {"question": "q", "equals": "yes"}}, "c.all", "non-empty list"),
        ({"all": [], "any": []}, "c", "must stand alone"),
        ("q == 'yes'", "c", "must be a mapping"),
        ({"question": "q", "answered": "yes"}, "c.answered", "true or false"),
        ({"any": [{"question": "q", "equals": "x"}]}, "c.any[0].equals", "not an option"),
    ],
)
def test_malformed_conditions_are_reported_with_their_path(raw, path, message):
    condition, errors = parse(raw)
    assert condition is None
    assert any(p == path and message in m for p, m in errors), errors


def test_deep_nesting_is_refused():
    raw = {"question": "q", "equals": "yes"}
    for _ in range(50):
        raw = {"not": raw}
    condition, errors = parse(raw)
    assert condition is None
    assert "nested at most" in errors[0][1]


def test_strings_are_never_evaluated_as_code(tmp_path):
    marker = tmp_path / "pwned"
    condition, errors = parse({"question": "q", "equals": f"__import__('os').mkdir('{marker}')"})
    assert condition is None and errors
    assert not marker.exists()
