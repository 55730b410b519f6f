"""The questionnaire engine: definitions are data, and a broken file is refused in plain words."""

import pytest
from django.core.management import CommandError, call_command

from mentoring.outcomes import questionnaires
from mentoring.outcomes.questionnaires import DefinitionError, parse

GOOD = {
    "slug": "tiny",
    "title": "Tiny",
    "licence": "Ours",
    "scales": {"yn": [{"value": 0, "label": "No"}, {"value": 1, "label": "Yes"}]},
    "domains": [{"key": "home", "label": "Home"}],
    "items": [{"key": "safe", "domain": "home", "scale": "yn", "text": "Do you feel safe?"}],
}


@pytest.fixture(autouse=True)
def _fresh_definitions():
    questionnaires.load_all.cache_clear()
    yield
    questionnaires.load_all.cache_clear()


def test_the_self_check_asks_about_the_nine_sources_of_stability():
    check = questionnaires.self_check()
    assert [d.label for d in check.domains] == [
        "Home",
        "Money",
        "Routine",
        "Health",
        "Drugs and alcohol",
        "People I can count on",
        "Staying out of trouble",
        "Work or learning",
        "Hope",
    ]
    assert check.at_start and check.every_days == 30
    assert check.answered_by == "mentee" and "mentor_if_shared" in check.seen_by


def test_the_shipped_example_measure_is_labelled_and_never_used():
    example = next(q for q in questionnaires.check_all()[0] if q.slug == "example-measure")
    assert example.example and not example.enabled
    assert "Not a validated measure" in example.licence


def test_scoring_rules_come_from_the_file_and_a_skip_never_counts_as_a_bad_answer():
    definition = parse(
        {
            **GOOD,
            "scoring": {"method": "sum"},
            "items": [
                {"key": "a", "domain": "home", "scale": "yn", "text": "A?"},
                {"key": "b", "domain": "home", "scale": "yn", "text": "B?", "reverse": True},
            ],
        }
    )
    assert definition.total({"a": 1, "b": 0}) == 2  # b is reversed: "no" scores 1
    assert definition.total({"a": 1}) == 1
    assert definition.total({}) is None
    assert definition.domain_scores({"a": 1}) == {"home": 100.0}


@pytest.mark.parametrize(
    "change,message",
    [
        ({"slug": None}, "'slug' is missing"),
        ({"slug": "Bad Slug"}, "'slug' must be small letters"),
        ({"scales": {}}, "'scales' is missing"),
        ({"answered_by": "dog"}, "'answered_by' must be one of"),
        ({"seen_by": ["coordinator"]}, "people always see their own answers"),
        ({"colour": "red"}, "'colour' is not a field we know"),
        (
            {"items": [{"key": "x", "domain": "home", "scale": "fiv", "text": "X"}]},
            "item 'x' uses the scale 'fiv', which is not defined under 'scales'",
        ),
        (
            {"items": [{"key": "x", "domain": "hom", "scale": "yn", "text": "X"}]},
            "item 'x' belongs to the domain 'hom', which is not under 'domains'",
        ),
        ({"asked": {"every_days": 2}}, "a number of days from 7 to 366"),
        ({"scoring": {"method": "average"}}, "'scoring: method' must be 'sum' or 'mean'"),
    ],
)
def test_a_broken_definition_is_refused_with_a_plain_message(change, message):
    data = {**GOOD, **change}
    data = {key: value for key, value in data.items() if value is not None}
    with pytest.raises(DefinitionError) as caught:
        parse(data, "tiny.yaml")
    assert any(message in problem for problem in caught.value.problems), caught.value.problems
    assert all(problem.startswith("tiny.yaml") for problem in caught.value.problems)


def test_a_charity_adds_a_measure_by_dropping_a_file_in_a_folder(settings, tmp_path, capsys):
    (tmp_path / "tiny.yaml").write_text(
        "slug: tiny\ntitle: Tiny\nlicence: Ours\n"
        "scales: {yn: [{value: 0, label: 'No'}, {value: 1, label: 'Yes'}]}\n"
        "domains: [{key: home, label: Home}]\n"
        "items: [{key: safe, domain: home, scale: yn, text: 'Do you feel safe?'}]\n"
    )
    settings.QUESTIONNAIRE_DIRS = [str(tmp_path)]
    call_command("check_questionnaires")
    assert "OK  tiny.yaml: Tiny (1 questions, in use)" in capsys.readouterr().out
    assert questionnaires.get("tiny").items[0].text == "Do you feel safe?"


def test_check_questionnaires_names_what_is_wrong_and_fails(settings, tmp_path, capsys):
    (tmp_path / "broken.yaml").write_text("slug: broken\ntitle: [unclosed\n")
    (tmp_path / "copy.yaml").write_text(
        (questionnaires.BUILT_IN / "how-things-are.yaml").read_text()
    )
    settings.QUESTIONNAIRE_DIRS = [str(tmp_path)]
    with pytest.raises(CommandError):
        call_command("check_questionnaires")
    err = capsys.readouterr().err
    assert "broken.yaml: this is not valid YAML at line" in err
    assert "Two files use the slug 'how-things-are'" in err
    with pytest.raises(DefinitionError):
        questionnaires.load_all()
