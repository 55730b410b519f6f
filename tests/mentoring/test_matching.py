"""The ranking on its own: plain data in, suggestions out (no database)."""

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import AVAILABILITY_SLOTS, LivedExperience
from mentoring.choices import Gender, Need
from mentoring.matching import (
    DEFAULT_WEIGHTS,
    SHARED_EXPERIENCE,
    MenteeFacts,
    MentorFacts,
    Rules,
    Weights,
    eligible,
    excluded_by,
    normalise,
    rank,
    weights_table,
)

SLOTS = [key for key, _label in AVAILABILITY_SLOTS]


def mentor(id, **facts):
    facts.setdefault("cleared", True)
    facts.setdefault("free_places", 1)
    return MentorFacts(id=id, **facts)


JAY = MenteeFacts(
    id=1000,
    area="Hackney",
    languages=frozenset({"English", "Polish"}),
    interests=frozenset({"Football"}),
    lived_experience=frozenset({LivedExperience.RESIDENTIAL_REHAB, LivedExperience.PRISON}),
    availability=frozenset({"tue-evening", "sat-morning"}),
    needs=frozenset({Need.HOUSING}),
)


def ids(suggestions):
    return [s.mentor_id for s in suggestions]


def test_reasons_are_plain_words_matching_each_shared_thing():
    sam = mentor(
        1,
        area="hackney",
        languages=normalise(["polish", "English"]),
        interests=normalise(["football"]),
        lived_experience=frozenset({LivedExperience.RESIDENTIAL_REHAB}),
        availability=frozenset({"tue-evening"}),
        helps_with=frozenset({Need.HOUSING, Need.MONEY}),
    )
    [suggestion] = rank(JAY, [sam])
    assert suggestion.reason_texts == [
        "Both have been through residential rehab",
        "Can help with housing",
        "Both live in Hackney",
        "Both speak Polish",
        "Both free Tuesday evenings",
        "Both enjoy Football",
    ]
    w = DEFAULT_WEIGHTS
    assert suggestion.score == (
        w.lived_experience + w.needs + w.area + w.language + w.availability + w.interests
    )
    assert suggestion.score == sum(reason.points for reason in suggestion.reasons)


def test_nothing_shared_means_no_reasons_and_no_points():
    [suggestion] = rank(JAY, [mentor(1, area="leeds", languages=normalise(["English"]))])
    assert suggestion.score == 0
    assert suggestion.reasons == ()


def test_english_alone_is_not_a_reason():
    [suggestion] = rank(JAY, [mentor(1, languages=normalise(["English"]))])
    assert "Both speak English" not in suggestion.reason_texts


def test_experience_asked_for_counts_even_if_not_shared():
    wants_prison = replace(JAY, lived_experience=frozenset(), wants_experience={"prison"})
    been_in_prison = mentor(1, lived_experience=frozenset({LivedExperience.PRISON}))
    [suggestion] = rank(wants_prison, [been_in_prison, mentor(2)])[:1]
    assert suggestion.mentor_id == 1
    assert suggestion.reason_texts == ["Has the experience asked for: prison"]


def test_every_lived_experience_theme_has_a_sentence():
    assert set(SHARED_EXPERIENCE) == set(LivedExperience.values)


def test_higher_score_first_and_ties_by_mentor_id():
    strong = mentor(7, lived_experience=frozenset({LivedExperience.PRISON}))
    tied_a, tied_b = mentor(3), mentor(2)
    assert ids(rank(JAY, [tied_a, strong, tied_b])) == [7, 2, 3]
    assert ids(rank(JAY, [tied_b, tied_a, strong])) == [7, 2, 3]


def test_limit_keeps_the_best_few_with_their_reasons():
    many = [mentor(i, availability=frozenset(SLOTS[: i % 5])) for i in range(1, 30)]
    top = rank(JAY, many, limit=5)
    assert top == rank(JAY, many)[:5]


def test_weights_change_the_order():
    near = mentor(1, area="hackney")
    speaks = mentor(2, languages=normalise(["Polish"]))
    assert ids(rank(JAY, [near, speaks])) == [1, 2]
    assert ids(rank(JAY, [near, speaks], weights=Weights(area=1, language=50))) == [2, 1]


def test_weights_table_names_every_weight_in_plain_words():
    table = weights_table()
    assert ("Living in the same area", DEFAULT_WEIGHTS.area) in table
    assert len(table) == 7


# --- Hard rules ---------------------------------------------------------------------------------


def test_not_cleared_or_full_mentors_are_never_suggested():
    assert rank(JAY, [mentor(1, cleared=False), mentor(2, free_places=0)]) == []


def test_requested_gender_is_a_hard_rule():
    wants_woman = replace(JAY, wants_gender=Gender.WOMAN)
    perfect_man = mentor(
        1, gender=Gender.MAN, area="hackney", lived_experience=JAY.lived_experience
    )
    woman = mentor(2, gender=Gender.WOMAN)
    assert ids(rank(wants_woman, [perfect_man, woman])) == [2]


def test_do_not_match_pairs_are_kept_apart():
    rules = Rules(do_not_match=frozenset({(1, JAY.id)}))
    assert ids(rank(JAY, [mentor(1), mentor(2)], rules)) == [2]
    assert excluded_by(JAY, mentor(1), rules) == "do_not_match"


def test_never_again_is_respected():
    asked = replace(JAY, never_again=frozenset({1}))
    assert ids(rank(asked, [mentor(1), mentor(2)])) == [2]


def test_eligibility_twelve_months_since_release_or_in_recovery():
    recent = mentor(1, months_since_release=11)
    settled = mentor(2, months_since_release=12)
    new_recovery = mentor(3, months_in_recovery=2)
    never = mentor(4)
    assert ids(rank(JAY, [recent, settled, new_recovery, never])) == [2, 4]
    assert ids(rank(JAY, [recent], Rules(min_months=6))) == [1]


def test_eligible_lists_everyone_a_coordinator_may_pick():
    assert [m.id for m in eligible(JAY, [mentor(3), mentor(1, cleared=False), mentor(2)])] == [2, 3]


# --- Properties ---------------------------------------------------------------------------------

themes = st.frozensets(st.sampled_from(LivedExperience.values), max_size=4)
mentors = st.builds(
    MentorFacts,
    id=st.integers(1, 60),
    cleared=st.booleans(),
    free_places=st.integers(-1, 3),
    gender=st.sampled_from(["", *Gender.values]),
    area=st.sampled_from(["hackney", "leeds", ""]),
    languages=st.frozensets(st.sampled_from(["english", "polish", "urdu"])),
    interests=st.frozensets(st.sampled_from(["football", "art"])),
    lived_experience=themes,
    availability=st.frozensets(st.sampled_from(SLOTS), max_size=8),
    helps_with=st.frozensets(st.sampled_from(Need.values)),
    months_since_release=st.none() | st.integers(0, 40),
    months_in_recovery=st.none() | st.integers(0, 40),
)
mentees = st.builds(
    MenteeFacts,
    id=st.integers(1, 60),
    area=st.sampled_from(["Hackney", "Leeds", ""]),
    languages=st.frozensets(st.sampled_from(["English", "Polish", "Urdu"])),
    interests=st.frozensets(st.sampled_from(["Football", "Art"])),
    lived_experience=themes,
    wants_experience=themes,
    availability=st.frozensets(st.sampled_from(SLOTS), max_size=8),
    needs=st.frozensets(st.sampled_from(Need.values)),
    wants_gender=st.sampled_from(["", *Gender.values]),
    never_again=st.frozensets(st.integers(1, 60), max_size=5),
)
pairs = st.frozensets(st.tuples(st.integers(1, 60), st.integers(1, 60)), max_size=10)


@settings(max_examples=300, deadline=None)
@given(mentee=mentees, candidates=st.lists(mentors, max_size=25), do_not_match=pairs)
def test_hard_rules_are_never_broken(mentee, candidates, do_not_match):
    rules = Rules(do_not_match=do_not_match)
    suggestions = rank(mentee, candidates, rules)
    by_id = {}
    for candidate in candidates:
        by_id.setdefault(candidate.id, []).append(candidate)
    for suggestion in suggestions:
        chosen = by_id[suggestion.mentor_id]
        assert any(excluded_by(mentee, m, rules) is None for m in chosen)
        for m in chosen:
            if excluded_by(mentee, m, rules) is None:
                assert m.cleared and m.free_places > 0
                assert not mentee.wants_gender or m.gender == mentee.wants_gender
                assert (m.id, mentee.id) not in do_not_match
                assert m.id not in mentee.never_again
                assert (m.months_since_release or 99) >= 12
                assert (m.months_in_recovery or 99) >= 12
    # Nobody who passes the rules is dropped.
    assert len(suggestions) == sum(excluded_by(mentee, m, rules) is None for m in candidates)


@settings(max_examples=200, deadline=None)
@given(mentee=mentees, candidates=st.lists(mentors, max_size=25, unique_by=lambda m: m.id))
def test_score_is_the_sum_of_its_reasons_and_order_is_stable(mentee, candidates):
    suggestions = rank(mentee, candidates, Rules(min_months=0))
    for suggestion in suggestions:
        assert suggestion.score == sum(reason.points for reason in suggestion.reasons)
        assert all(reason.text for reason in suggestion.reasons)
    keys = [(-s.score, s.mentor_id) for s in suggestions]
    assert keys == sorted(keys)
    # The same people in another order: the same suggestions.
    assert rank(mentee, list(reversed(candidates)), Rules(min_months=0)) == suggestions
