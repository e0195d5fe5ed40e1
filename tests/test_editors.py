"""The editors' forms: duplicate warnings, a side for every person, errors by the field in words."""

import pytest
from django.urls import reverse

from archive import selectors
from archive.models import Actor, Alias, Article
from tests.conftest import add_statement
from tests.factories import ActorFactory, ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def baradar():
    taliban = ActorFactory(name="Taliban", kind=Actor.Kind.ORGANISATION)
    actor = ActorFactory(name="Abdul Ghani Baradar", affiliation=taliban)
    for name in ("Abdul Ghani Baradar", "Mullah Baradar"):
        Alias.objects.create(actor=actor, name=name)
    return actor


@pytest.mark.parametrize(
    "name", ["Mullah Abdul Ghani Barader", "Barader", "abdul ghani baradar", "Mullah Barader", "Ghani Baradar"]
)
def test_likely_duplicates_by_alias_and_close_spelling(baradar, name):
    assert [m.actor for m in selectors.likely_duplicates(name)] == [baradar]


@pytest.mark.parametrize("name", ["Abdullah Abdullah", "Ashraf Ghani", "Zalmay Khalilzad", "Abdul"])
def test_likely_duplicates_leave_other_people_alone(baradar, name):
    assert selectors.likely_duplicates(name) == []


def _actor_post(client, url, **fields):
    data = {
        "name": "",
        "kind": "person",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
        # The dated roles inline, empty, as the form posts it.
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
        **fields,
    }
    return client.post(url, data)


def test_adding_a_likely_duplicate_warns_until_confirmed(editor_client, baradar):
    url = reverse("admin:archive_actor_add")
    response = _actor_post(editor_client, url, name="Mullah Abdul Ghani Barader", affiliation=baradar.affiliation_id)
    assert response.status_code == 200
    error = response.context["adminform"].form.errors["name"][0]
    assert error.startswith("“Mullah Abdul Ghani Barader” may be an actor the archive already has: Abdul Ghani Baradar")
    assert not Actor.objects.filter(name="Mullah Abdul Ghani Barader").exists()
    response = _actor_post(
        editor_client, url, name="Mullah Abdul Ghani Barader", affiliation=baradar.affiliation_id, not_a_duplicate="on"
    )
    assert response.status_code == 302
    assert Actor.objects.filter(name="Mullah Abdul Ghani Barader").exists()


def test_renaming_into_a_duplicate_warns(editor_client, baradar):
    other = ActorFactory(name="Someone Else", affiliation=baradar.affiliation)
    url = reverse("admin:archive_actor_change", args=[other.pk])
    version = {"_archive_version": other.updated_at.isoformat()}  # the version the form was opened at
    response = _actor_post(
        editor_client, url, name="Baradar", affiliation=other.affiliation_id, slug=other.slug, **version
    )
    assert "may be an actor the archive already has" in response.content.decode()
    # Saving an actor without renaming it gives no warning.
    response = _actor_post(
        editor_client, url, name="Someone Else", affiliation=other.affiliation_id, slug=other.slug, **version
    )
    assert response.status_code == 302


def test_a_person_needs_a_side_or_side_unknown(editor_client, db):
    url = reverse("admin:archive_actor_add")
    response = _actor_post(editor_client, url, name="Unplaced Person")
    assert response.status_code == 200
    assert "Choose the side this person speaks for" in response.context["adminform"].form.errors["affiliation"][0]
    response = _actor_post(editor_client, url, name="Unplaced Person", side_unknown="on")
    assert response.status_code == 302
    assert Actor.objects.get(name="Unplaced Person").side_unknown
    # An organisation may stand alone.
    assert _actor_post(editor_client, url, name="A Lone Group", kind="organisation").status_code == 302


def test_mark_checked_skips_people_without_a_side(editor_client, db):
    sideless = ActorFactory(name="Imported Person", needs_review=True, affiliation=None)
    placed = ActorFactory(name="Imported Group", kind="organisation", needs_review=True)
    response = editor_client.post(
        reverse("admin:archive_actor_changelist"),
        {"action": "mark_checked", "_selected_action": [sideless.pk, placed.pk]},
        follow=True,
    )
    notes = [str(m) for m in response.context["messages"]]
    assert any("a person needs a side or “side unknown” first: Imported Person" in n for n in notes)
    assert Actor.objects.get(pk=sideless.pk).needs_review
    assert not Actor.objects.get(pk=placed.pk).needs_review


def test_refused_body_edit_is_reported_at_the_body_in_words(editor_client, db):
    article = ArticleFactory(body="Opening line.\n\n“We will sign on Saturday,” the envoy said.\n\nClosing line.")
    speaker = ActorFactory(name="The Envoy Person")
    statement = add_statement(article, speaker, "We will sign on Saturday")
    url = reverse("admin:archive_article_change", args=[article.pk])
    form = editor_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data["_archive_version"] = form.instance.updated_at.isoformat()  # the version the form was opened at
    data.update(
        body="Opening line.\n\n“We will sign soon,” the envoy said.\n\nClosing line.",
        **{
            "statements-TOTAL_FORMS": "1",
            "statements-INITIAL_FORMS": "1",
            "statements-0-id": statement.pk,
            "statements-0-article": article.pk,
            "statements-0-text": statement.text,
            "statements-0-start": statement.start,
            "statements-0-end": statement.end,
            "statements-0-speaker": speaker.pk,
            "statements-0-kind": statement.kind,
            "statements-0-review_status": statement.review_status,
        },
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"]
    assert errors == [
        "This edit removes words that 1 statement quotes: “We will sign on Saturday” (The Envoy Person). "
        "Keep those words, or correct or reject that statement first."
    ]
    html = response.content.decode()
    # The error sits right above the body field, and names no character offsets.
    at_error, at_field = html.index("This edit removes words"), html.index('name="body"')
    assert 0 < at_field - at_error < 1500
    assert f"{statement.start}–{statement.end}" not in html
    assert Article.objects.get(pk=article.pk).body.count("Saturday") == 1
    # Correcting the statement's words in the same post lets the edit through.
    data["statements-0-text"] = "We will sign soon"
    data["statements-0-end"] = statement.start + len("We will sign soon")
    assert editor_client.post(url, data).status_code == 302
