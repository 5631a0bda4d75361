"""Scoring and suppression of the 'as is' / 'to be' self-assessment (pure functions)."""

from coproduce.coproduction import scoring
from coproduce.coproduction.instrument import STATEMENTS, rung_words, statements_for
from coproduce.coproduction.scoring import EVERYONE, LIVED, STAFF, ResponseData, score


def people(perspective, n, as_is, to_be):
    return [
        ResponseData(perspective, [(s.key, as_is, to_be) for s in STATEMENTS]) for _ in range(n)
    ]


def test_medians_and_gap_per_domain_and_perspective():
    responses = people("ward_staff", 3, 5, 7) + people("ward_staff", 2, 4, 6)
    results = score(responses)
    cell = results.cell("process", "ward_staff")
    assert cell.respondents == 5
    assert cell.as_is == 5 and cell.to_be == 7
    assert cell.gap == 2


def test_median_between_two_rungs_is_named_in_words():
    responses = people("leader", 3, 4, 7) + people("leader", 3, 5, 7)
    cell = score(responses).cell("impact", "leader")
    assert cell.as_is == 4.5
    assert rung_words(cell.as_is) == "between Consultation and Engagement"
    assert scoring.fmt(cell.as_is) == "between Consultation and Engagement (4.5)"


def test_a_perspective_with_fewer_than_five_people_is_not_shown_but_counts_in_totals():
    responses = people("carer", 4, 1, 7) + people("lived_experience", 5, 3, 7)
    results = score(responses)
    carers = results.cell("purpose", "carer")
    assert carers.respondents == 4
    assert not carers.shown and carers.gap is None
    assert "carer" in results.hidden_groups
    assert results.cell("purpose", "lived_experience").shown
    lived = results.cell("purpose", LIVED)
    assert lived.respondents == 9 and lived.shown
    assert lived.as_is == 3  # carers' 1s are in the pooled median
    text = " ".join(scoring.summary(results))
    assert "Carer: fewer than 5 people answered" in text


def test_exactly_five_is_shown_and_four_is_not():
    assert score(people("leader", 5, 4, 6)).cell("presence", "leader").shown
    assert not score(people("leader", 4, 4, 6)).cell("presence", "leader").shown


def test_nothing_is_shown_until_five_people_have_answered():
    results = score(people("ward_staff", 2, 4, 6) + people("carer", 2, 2, 6))
    assert not results.cell("principles", EVERYONE).shown
    assert scoring.summary(results)[0].startswith("4 people have answered so far")


def test_perception_gap_needs_both_sides_to_have_five_people():
    staff = people("ward_staff", 3, 5, 6) + people("leader", 2, 6, 6)
    lived = people("lived_experience", 5, 3, 7)
    results = score(staff + lived)
    assert results.perception_gap["impact"] == 2  # staff median 5 vs lived 3
    assert results.cell("impact", STAFF).respondents == 5
    one_side = score(staff + people("lived_experience", 4, 3, 7))
    assert one_side.perception_gap["impact"] is None
    assert "not shown" in " ".join(scoring.summary(one_side))


def test_change_since_the_previous_round():
    before = people("ward_staff", 5, 3, 6)
    now = [
        ResponseData(
            "ward_staff", [(s.key, 5 if s.domain == "process" else 3, 6) for s in STATEMENTS]
        )
        for _ in range(5)
    ]
    results = score(now, before)
    assert results.change["process"] == 2
    assert results.change["impact"] == 0
    assert "moved up the ladder in Process" in " ".join(scoring.summary(results))


def test_unknown_statements_are_ignored():
    results = score([ResponseData("leader", [("retired-statement", 1, 1)])] * 5)
    assert results.cell("principles", "leader").as_is is None
    assert not results.cell("principles", "leader").shown


def test_each_domain_has_three_statements_with_easy_read_wording():
    for domain in ("principles", "purpose", "presence", "process", "impact"):
        statements = statements_for(domain)
        assert len(statements) == 3
        assert all(s.easy and len(s.easy) < len(s.text) + 40 for s in statements)
