"""The stance and relation suggestions: the pure rules on wording, dates and sides, then the import and the
suggest_relations command that store them for editors."""

import datetime

import pytest
from django.core.management import call_command

from archive.ingest import import_paths
from archive.models import Statement
from archive.positions import services
from archive.positions.models import StatementRelation, StatementStance
from archive.positions.suggest import (
    Said,
    relation_cue,
    sentence_of,
    stance_changes,
    suggest_relations,
    suggest_stance,
)
from tests.factories import ActorFactory, ArticleFactory, StatementFactory, TopicFactory


def stance(text):
    guess = suggest_stance(text)
    return guess.stance if guess else None


# --- Stance from wording ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Our movement rejected the truce plan put forward last week.", "opposes"),
        ("We will not accept any pause in the fighting before the foreign forces leave.", "opposes"),
        ("We won't accept a ceasefire imposed from outside.", "opposes"),
        ("The council is ready to announce a pause in the fighting.", "supports"),
        ("The government welcomed the proposal for a truce.", "supports"),
        ("We will observe a truce on condition that the raids stop.", "conditional"),
        ("A ceasefire is possible only if the prisoners are freed first.", "conditional"),
        ("They refused to accept the plan.", "opposes"),
        ("The delegation arrived in the capital on Tuesday.", None),
    ],
)
def test_stance_from_cue_words(text, expected):
    assert stance(text) == expected


def test_negated_rejection_is_not_opposition():
    guess = suggest_stance("The movement did not reject the truce plan.")
    assert guess.stance == "unclear"
    assert "not … reject" in guess.reason
    assert stance("We have never opposed a pause in the fighting.") == "unclear"


def test_negated_readiness_is_opposition():
    assert stance("We are not ready to stop the fighting.") == "opposes"


def test_negation_does_not_reach_past_its_clause():
    # "not" belongs to the first clause; the readiness in the second stands.
    assert stance("We did not start this war, but we are ready to end it.") == "supports"
    # A negation far before the cue, in a long clause, does not reach it either.
    assert stance("There is no doubt that the elders in every province are ready to talk.") == "supports"


def test_a_denied_claim_is_not_the_speakers_stance():
    assert stance("The group rejected reports that it had agreed to a truce.") is None
    assert stance("He denied that his side had accepted the plan.") is None


def test_support_and_opposition_together_are_unclear():
    guess = suggest_stance("We welcome the envoy, yet we reject his plan.")
    assert guess.stance == "unclear" and "mixed" in guess.reason


# --- Relation cue words ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kind",
    [
        ("The spokesman denied that fighters had attacked the convoy.", "denies"),
        ("The ministry dismissed the claim as propaganda.", "denies"),
        ("Officials rejected reports of a secret deal.", "denies"),
        ("The governor confirmed that the prisoners had been freed.", "confirms"),
        ("In response to the envoy, the group said talks would go on.", "replies_to"),
        ("The commander reiterated his call for a pause.", "repeats"),
        ("The talks went on for a third day.", None),
        ("The ministry did not confirm the figures.", None),
    ],
)
def test_relation_cue_words(text, kind):
    cue = relation_cue(text)
    assert (cue[0] if cue else None) == kind


def test_the_sentence_of_a_reported_claim_carries_its_reporting_verb():
    body = "Talks went on. The ministry denied that raids had taken place. Officials met later."
    claim = "raids had taken place"
    start = body.index(claim)
    text = sentence_of(body, start, start + len(claim))
    assert text == "The ministry denied that raids had taken place."
    assert relation_cue(text)[0] == "denies" and relation_cue(claim) is None
    assert suggest_stance("The ministry denied that it had agreed to a truce.") is None


def test_the_sentence_of_a_statement_stops_short_of_unrelated_text():
    # No full stop for a long way: only the words just before the statement are read with it.
    body = "Some officials would accept the offer " + "and talk about many other things " * 8 + "“We refuse it”"
    start = body.index("We refuse it")
    text = sentence_of(body, start, start + len("We refuse it"))
    assert "accept the offer" not in text and text.endswith("“We refuse it”")
    assert suggest_stance(text).stance == "opposes"


# --- Pairing statements -----------------------------------------------------------------------------------

CEASEFIRE, PRISONERS = 1, 2
DAY = datetime.date(2020, 3, 1)


def said(pk, days, speaker, side, topics=(CEASEFIRE,), text="Talks went on.", s=None):
    return Said(
        pk=pk,
        date=DAY + datetime.timedelta(days=days),
        speaker_id=speaker,
        side_id=side,
        topic_ids=frozenset(topics),
        text=text,
        stances={CEASEFIRE: s} if s else {},
    )


def kinds(suggestions):
    return {(s.from_pk, s.to_pk, s.kind) for s in suggestions}


def test_a_denial_answers_the_nearest_earlier_statement_on_the_topic():
    claim = said(1, 0, speaker=10, side=100)
    unrelated = said(2, 1, speaker=11, side=100, topics=(PRISONERS,))
    denial = said(3, 2, speaker=20, side=200, text="The spokesman denied the account of the fighting.")
    found = kinds(suggest_relations([claim, unrelated, denial], {CEASEFIRE: "Ceasefire"}))
    assert (3, 1, "denies") in found
    assert not any(f == 3 and t == 2 for f, t, _ in found)  # another topic
    reason = next(s.reason for s in suggest_relations([claim, denial]) if s.kind == "denies")
    assert "denied" in reason and "2 day(s) apart" in reason


def test_no_relation_to_a_later_statement_or_to_itself():
    first = said(1, 0, speaker=10, side=100, text="The envoy denied it.")
    second = said(2, 1, speaker=20, side=200)
    for s in suggest_relations([first, second]):
        assert s.from_pk != s.to_pk
        assert s.from_pk == 2  # only the later one answers


def test_cross_side_same_topic_within_the_window_is_a_possible_reply():
    claim = said(1, 0, speaker=10, side=100)
    same_side = said(2, 1, speaker=11, side=100)
    other_side = said(3, 2, speaker=20, side=200)
    too_late = said(4, 9, speaker=30, side=300)
    found = kinds(suggest_relations([claim, same_side, other_side, too_late]))
    assert (3, 2, "replies_to") in found  # the nearest statement of the other side
    assert (3, 1, "replies_to") not in found  # one per side: the nearest
    assert not any(f == 2 for f, _, _ in found)  # same side, no cue: no reply suggested
    assert not any(f == 4 for f, _, _ in found)  # outside the window
    wider = kinds(suggest_relations([claim, too_late], window_days=10))
    assert (4, 1, "replies_to") in wider


def test_same_speaker_taking_the_opposite_stance_later_is_a_possible_contradiction():
    before = said(1, 0, speaker=10, side=100, s="supports")
    unclear = said(2, 20, speaker=10, side=100, s="unclear")
    after = said(3, 40, speaker=10, side=100, s="opposes")
    other_speaker = said(4, 50, speaker=11, side=100, s="supports")
    suggestions = suggest_relations([before, unclear, after, other_speaker])
    contradictions = [s for s in suggestions if s.kind == "contradicts"]
    assert [(s.from_pk, s.to_pk) for s in contradictions] == [(3, 1)]
    assert "supports → opposes" in contradictions[0].reason
    assert [(a.pk, b.pk) for a, b, _ in stance_changes([before, unclear, after, other_speaker])] == [(1, 3)]


def test_a_steady_stance_is_no_shift():
    statements = [said(n, n * 10, speaker=10, side=100, s="supports") for n in range(1, 4)]
    assert stance_changes(statements) == []


def test_undated_statements_are_never_paired():
    undated = Said(pk=9, date=None, speaker_id=20, side_id=200, topic_ids=frozenset({CEASEFIRE}), text="denied")
    assert suggest_relations([said(1, 0, speaker=10, side=100), undated]) == []


# --- Stored: import and the command -----------------------------------------------------------------------

FIRST = (
    "Elders press for a truce | Hill Courier\n\n"
    "Published: March 2, 2020\n\n"
    "KABUL – Tribal elders met in the capital on Monday to talk about a ceasefire.\n\n"
    "“We will not accept a ceasefire while the night raids go on,” said Mawlawi Karimullah Zadran, a "
    "commander of the movement.\n"
)
SECOND = (
    "Ministry answers commander | Hill Courier\n\n"
    "Published: March 3, 2020\n\n"
    "KABUL – The defence ministry spoke about the ceasefire on Tuesday.\n\n"
    "Ministry spokesman Rahmatullah Sadiqi denied that night raids were taking place during the ceasefire talks.\n"
)


@pytest.mark.django_db
def test_import_suggests_stances_and_relations_labelled_as_suggestions(tmp_path):
    (tmp_path / "a.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "b.txt").write_text(SECOND, encoding="utf-8")
    report = import_paths([tmp_path / "a.txt", tmp_path / "b.txt"])
    assert report.counts()["created"] == 2
    refusal = Statement.objects.get(text__startswith="We will not accept")
    stance = StatementStance.objects.get(statement=refusal, topic__slug="ceasefire")
    assert (stance.stance, stance.review_status) == ("opposes", "suggested")
    assert "not … accept" in stance.reason
    assert stance.history.get().history_change_reason == "Suggested from the statement's wording"
    denial = StatementRelation.objects.get(kind="denies")
    assert denial.review_status == "suggested" and denial.to_statement == refusal
    assert report.relations_suggested >= 1


@pytest.mark.django_db
def test_suggest_relations_is_idempotent_and_never_resuggests_a_rejected_pair(capsys):
    topic = TopicFactory(name="Ceasefire")
    side_a, side_b = ActorFactory(kind="organisation"), ActorFactory(kind="organisation")
    claim = StatementFactory(article=ArticleFactory(published_date=DAY), speaker=ActorFactory(affiliation=side_a))
    answer = StatementFactory(
        article=ArticleFactory(published_date=DAY + datetime.timedelta(days=1)),
        speaker=ActorFactory(affiliation=side_b),
    )
    for statement in (claim, answer):
        statement.topics.add(topic)
    call_command("suggest_relations")
    assert "1 relation(s) suggested (replies_to: 1)" in capsys.readouterr().out
    relation = StatementRelation.objects.get()
    assert (relation.from_statement, relation.to_statement) == (answer, claim)
    services.set_review_status(StatementRelation.objects.all(), "rejected")
    call_command("suggest_relations")
    out = capsys.readouterr().out
    assert "0 relation(s) suggested" in out and "1 rejected earlier and not suggested again" in out
    assert list(StatementRelation.objects.values_list("review_status", flat=True)) == ["rejected"]


@pytest.mark.django_db
def test_stance_suggestions_never_replace_an_editors_decision():
    topic = TopicFactory(name="Ceasefire")
    article = ArticleFactory(body="Report.\n\n“We reject the plan,” he said.")
    statement = StatementFactory(article=article)
    statement.topics.add(topic)
    StatementStance.objects.create(statement=statement, topic=topic, stance="supports", review_status="rejected")
    assert services.suggest_stances(Statement.objects.filter(pk=statement.pk)) == 0
    other = TopicFactory(name="Prisoners")
    statement.topics.add(other)
    assert services.suggest_stances(Statement.objects.filter(pk=statement.pk)) == 1
    assert StatementStance.objects.get(topic=other).stance == "opposes"


@pytest.mark.django_db
def test_suggestions_around_new_statements_read_their_window_and_their_speakers_stances_only():
    # An import suggests relations for what it wrote: pairs far outside the window, between old
    # statements, are not read or suggested; a speaker's earlier opposite stance still is.
    topic = TopicFactory(name="Ceasefire")
    side_a, side_b = ActorFactory(kind="organisation"), ActorFactory(kind="organisation")
    speaker_a, speaker_b = ActorFactory(affiliation=side_a), ActorFactory(affiliation=side_b)

    def statement(speaker, day):
        made = StatementFactory(
            article=ArticleFactory(published_date=DAY + datetime.timedelta(days=day)), speaker=speaker
        )
        made.topics.add(topic)
        return made

    old_claim, old_answer = statement(speaker_a, 0), statement(speaker_b, 1)  # a pair of their own, long ago
    earlier_stance = statement(speaker_b, 10)
    StatementStance.objects.create(statement=earlier_stance, topic=topic, stance="supports", review_status="confirmed")
    claim = statement(speaker_a, 400)
    new = statement(speaker_b, 401)
    StatementStance.objects.create(statement=new, topic=topic, stance="opposes", review_status="confirmed")
    report = services.suggest_relations(around=[new.pk])
    pairs = set(StatementRelation.objects.values_list("from_statement", "to_statement", "kind"))
    assert (new.pk, claim.pk, "replies_to") in pairs
    assert (new.pk, earlier_stance.pk, "contradicts") in pairs
    assert not {(f, t) for f, t, _ in pairs} & {(old_answer.pk, old_claim.pk)}
    assert report.created == len(pairs) == 2
    assert services.suggest_relations(around=[]).created == 0
