"""Selectors behind the public pages."""

from archive import selectors
from archive.models import Actor
from tests.conftest import add_statement
from tests.factories import ActorFactory


def test_sides_follow_the_whole_affiliation_chain(db):
    side = ActorFactory(name="Side")
    office = ActorFactory(name="Office", affiliation=side)
    person = ActorFactory(name="Person", affiliation=office)
    sides = selectors.side_map()
    assert sides[person.pk].pk == side.pk and sides[office.pk].pk == side.pk and sides[side.pk].pk == side.pk


def test_actors_by_side_counts_public_statements(site_data):
    groups = {group.side.name: group for group in selectors.actors_by_side()}
    assert groups["Taliban"].total == 2  # one by the Taliban, one by its spokesman; the rejected one not
    assert groups["United States government"].total == 2
    assert [m.name for m in groups["Taliban"].members] == ["Zabihullah Mujahid"]


def test_article_list_filters_combine(site_data):
    articles = selectors.article_list(topic=site_data["ceasefire"], year=2020)
    assert list(articles) == [site_data["first"]]
    assert selectors.attach_statement_counts(articles)[0].statement_count == 4


def test_timeline_months_include_empty_months(site_data):
    data = selectors.timeline()
    assert data.months[0].month.isoformat() == "2020-02-01"
    assert data.months[-1].month.isoformat() == "2021-03-01"
    assert len(data.months) == 14
    assert data.total_articles == 2 and data.total_statements == 5


def test_article_corrections_ignore_private_fields(site_data):
    article = site_data["first"]
    article.editor_notes = "private"
    article.save()
    assert selectors.article_corrections(article)[0] == []
    article.body = article.body + "\n\nA correction was appended."
    article.save()
    corrections, _ = selectors.article_corrections(article)
    assert [c.changes for c in corrections] == [[("Text", "", "A correction was appended.")]]


def test_public_actors_are_reviewed_or_have_a_public_statement(site_data):
    silent = ActorFactory(name="Silent import", needs_review=True)
    drafted = ActorFactory(name="Drafted import", needs_review=True)
    add_statement(site_data["draft"], drafted, "Draft text")
    rejected = ActorFactory(name="Rejected import", needs_review=True)
    add_statement(site_data["second"], rejected, "answered in a statement", review_status="rejected")
    quoted = ActorFactory(name="Quoted import", needs_review=True)
    add_statement(site_data["first"], quoted, "Talks resumed in Doha")
    add_statement(site_data["first"], quoted, "The Taliban said")
    public = set(Actor.objects.public().values_list("name", flat=True))
    assert {"Quoted import", "Zalmay Khalilzad", "Taliban"} <= public
    assert not public & {silent.name, drafted.name, rejected.name}
    assert Actor.objects.public().filter(name="Quoted import").count() == 1
