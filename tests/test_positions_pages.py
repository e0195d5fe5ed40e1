"""The stance timeline, the shifts, reply threads on statement pages, stances on the topic page, the thread
feed: what they show, what they never show, and their query counts."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from archive.models import Statement
from archive.positions.models import StatementRelation, StatementStance
from tests.factories import ActorFactory, ArticleFactory, StatementFactory, TopicFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def html(response):
    assert response.status_code == 200
    return response.content.decode()


def said(speaker, day, words):
    body = f"Report of {day}.\n\n“{words},” the speaker told reporters.\n\nTalks went on."
    article = ArticleFactory(published_date=day, body=body, raw_text=body)
    return StatementFactory(article=article, speaker=speaker)


@pytest.fixture
def world():
    movement = ActorFactory(name="The Movement", kind="organisation")
    cabinet = ActorFactory(name="The Cabinet", kind="government")
    spokesman = ActorFactory(name="Abdul Spokesman", affiliation=movement)
    minister = ActorFactory(name="Nadia Minister", affiliation=cabinet)
    topic = TopicFactory(name="Ceasefire")
    day = datetime.date(2020, 3, 1)
    ready = said(spokesman, day, "We are ready to pause the fighting for the holiday")
    denial = said(minister, day + datetime.timedelta(days=2), "There was no pause in the fighting at all")
    refusal = said(spokesman, day + datetime.timedelta(days=60), "We reject any pause in the fighting now")
    hidden = said(spokesman, day + datetime.timedelta(days=70), "We have nothing further to add on the pause")
    hidden.article.status = "draft"
    hidden.article.save()
    for s in (ready, denial, refusal, hidden):
        s.topics.add(topic)
    stances = {
        "ready": StatementStance.objects.create(statement=ready, topic=topic, stance="supports"),
        "refusal": StatementStance.objects.create(statement=refusal, topic=topic, stance="opposes"),
        "denial": StatementStance.objects.create(
            statement=denial, topic=topic, stance="opposes", review_status="suggested", reason="wording"
        ),
        "hidden": StatementStance.objects.create(statement=hidden, topic=topic, stance="supports"),
    }
    relation = StatementRelation.objects.create(from_statement=denial, to_statement=ready, kind="denies")
    suggested = StatementRelation.objects.create(
        from_statement=refusal, to_statement=denial, kind="replies_to", review_status="suggested"
    )
    return locals()


def test_stance_timeline_draws_each_stance_linked_to_its_statement(client, world):
    url = reverse("archive:stance_timeline", args=[world["movement"].slug, world["topic"].slug])
    page = html(client.get(url))
    assert "The Movement on ceasefire" in page
    for key in ("ready", "refusal"):
        assert f'<a href="{world[key].get_absolute_url()}" aria-label=' in page  # a chart point
    assert page.count("<circle") == 2
    assert 'class="stance stance-supports"' in page and 'class="stance stance-opposes"' in page
    assert world["hidden"].get_absolute_url() not in page  # a draft article's statement never shows
    assert "<table" in page and "1 March 2020" in page


def test_stance_timeline_labels_suggestions_and_never_shows_rejected(client, world):
    url = reverse("archive:stance_timeline", args=[world["cabinet"].slug, world["topic"].slug])
    page = html(client.get(url))
    assert "suggested, not reviewed" in page and "stance-suggested" in page
    StatementStance.objects.filter(pk=world["stances"]["denial"].pk).update(review_status="rejected")
    page = html(client.get(url))
    assert world["denial"].get_absolute_url() not in page
    assert "No stance of The Cabinet on ceasefire has been recorded yet." in page


def test_stance_timeline_of_a_person_and_unknown_addresses(client, world):
    person = reverse("archive:stance_timeline", args=[world["spokesman"].slug, world["topic"].slug])
    assert "We reject any pause" in html(client.get(person))
    assert client.get(reverse("archive:stance_timeline", args=["nobody", world["topic"].slug])).status_code == 404
    assert client.get(reverse("archive:stance_timeline", args=[world["spokesman"].slug, "none"])).status_code == 404


def test_stance_timeline_is_reached_from_the_actor_and_topic_pages(client, world):
    url = reverse("archive:stance_timeline", args=[world["spokesman"].slug, world["topic"].slug])
    assert f'href="{url}"' in html(client.get(world["spokesman"].get_absolute_url()))
    assert f'href="{url}"' in html(client.get(world["topic"].get_absolute_url()))


def test_stance_timeline_query_count(client, world, django_assert_num_queries):
    url = reverse("archive:stance_timeline", args=[world["movement"].slug, world["topic"].slug])
    # actor (+ its public rule), topic, sides, stances, sides again and stances for the shifts
    with django_assert_num_queries(6):
        html(client.get(url))


def test_shift_shows_both_statements_side_by_side_dated(client, world):
    page = html(client.get(reverse("archive:shift_list")))
    assert "supports → opposes" in page
    first, second = page.index("We are ready to pause"), page.index("We reject any pause")
    assert first < second and "1 March 2020" in page and "30 April 2020" in page
    # A suggested stance never makes a shift.
    assert page.count('class="shift"') == 1


def test_shift_list_query_count(client, world, django_assert_num_queries):
    with django_assert_num_queries(2):  # sides, stances with their statements
        html(client.get(reverse("archive:shift_list")))


def test_statement_page_shows_its_thread_across_sides_with_sentence_links(client, world):
    page = html(client.get(world["ready"].get_absolute_url()))
    assert "Replies and answers" in page
    assert world["denial"].get_absolute_url() in page and world["denial"].place_url in page
    assert '<span class="relation relation-denies">Denies</span>' in page
    assert "(The Cabinet)" in page  # the side of the answering speaker
    # The suggested reply further down the thread is labelled.
    assert world["refusal"].get_absolute_url() in page and "suggested, not reviewed" in page
    assert reverse("archive:thread_atom", args=[world["ready"].pk]) in page


def test_thread_hides_rejected_relations_and_non_public_statements(client, world):
    StatementRelation.objects.filter(pk=world["suggested"].pk).update(review_status="rejected")
    page = html(client.get(world["ready"].get_absolute_url()))
    assert world["refusal"].get_absolute_url() not in page
    world["denial"].article.status = "draft"
    world["denial"].article.save()
    page = html(client.get(world["ready"].get_absolute_url()))
    assert "Replies and answers" not in page


def test_statement_page_shows_its_stance(client, world):
    page = html(client.get(world["refusal"].get_absolute_url()))
    assert '<span class="stance stance-opposes">Opposes</span>' in page
    suggested = html(client.get(world["denial"].get_absolute_url()))
    assert "stance-suggested" in suggested and "suggested, not reviewed" in suggested


def test_statement_page_query_count_with_a_thread(client, world, django_assert_num_queries):
    # statement, the speaker's dated roles, topics, JSON-LD stances and relations, provision links, stances;
    # the thread: one query per ring (two here), sides
    with django_assert_num_queries(10):
        html(client.get(world["denial"].get_absolute_url()))


def test_topic_page_shows_confirmed_stances_per_side(client, world):
    page = html(client.get(world["topic"].get_absolute_url()))
    assert "Stances on ceasefire" in page
    row = page[page.index('<a href="' + world["movement"].get_absolute_url() + '">The Movement</a></th>') :]
    row = row[: row.index("</tr>")]
    assert "<td>1</td><td>0</td><td>1</td><td>0</td>" in row  # supports, conditions, opposes, unclear
    assert "The Cabinet</a></th>" not in page  # its only stance is a suggestion


def test_topic_page_query_count_with_stances(client, world, django_assert_num_queries):
    # topic, statements, their speakers' dated roles, side map; stances per side and their side map; speakers
    # with stances and their actors
    with django_assert_num_queries(8):
        html(client.get(world["topic"].get_absolute_url()))


def test_thread_feed_lists_the_thread_newest_first(client, world):
    response = client.get(reverse("archive:thread_atom", args=[world["ready"].pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert [link.split("testserver")[-1] for link in links] == [
        world[k].get_absolute_url() for k in ("refusal", "denial", "ready")
    ]
    summaries = [e.find(f"{ATOM}summary").text for e in entries]
    assert "Replies to" in summaries[0] and "suggested, not reviewed" in summaries[0]
    assert "Denies Abdul Spokesman" in summaries[1]
    assert client.get(reverse("archive:thread_atom", args=[world["hidden"].pk])).status_code == 404


# --- The curated corpus --------------------------------------------------------------------------------------


def test_curated_corpus_shows_the_taliban_stance_on_ceasefire(client, corpus):
    page = html(client.get(reverse("archive:stance_timeline", args=["taliban", "ceasefire"])))
    assert "Zabihullah Mujahid" in page and '<span class="stance stance-opposes">Opposes</span>' in page
    assert page.count("<circle") == 1 and "stance-suggested" not in page
    talks = html(client.get(reverse("archive:stance_timeline", args=["taliban", "intra-afghan-talks"])))
    assert talks.count("<circle") == 4  # 2019 against talks with Kabul; 2021 ready, promoting, interested
    # Two stances of the same day and band are drawn apart, each reachable.
    places = re.findall(r'cx="([0-9.]+)" cy="([0-9.]+)"', talks)
    assert len(set(places)) == 4


def test_curated_corpus_shift_and_denial_thread(client, corpus):
    shifts = html(client.get(reverse("archive:shift_list")))
    assert "Taliban</a> on <a" in shifts and "opposes → supports" in shifts
    leader = Statement.objects.get(text__contains="vigorously promoting a political settlement")
    page = html(client.get(leader.get_absolute_url()))
    assert "Replies and answers" in page and "neither the intention nor the will" in page
    assert '<span class="relation relation-denies">Denies</span>' in page
    ghani = Statement.objects.get(text__contains="neither the intention nor the will")
    assert ghani.place_url in page  # the answer links to its sentence in the article


def test_sitemap_lists_the_stance_timelines_and_shifts(client, corpus):
    stances = client.get("/sitemap-stances.xml").content.decode()
    assert reverse("archive:stance_timeline", args=["zabihullah-mujahid", "ceasefire"]) in stances
    assert "/actors/taliban/stances/intra-afghan-talks/" in stances  # the Taliban speak as a group too
    assert "/actors/ned-price/stances/" not in stances  # quoted, but with no confirmed stance
    assert reverse("archive:shift_list") in client.get("/sitemap-pages.xml").content.decode()
