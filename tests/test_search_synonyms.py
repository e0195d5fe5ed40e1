"""Search synonyms: the table editors manage in the admin, and what it stores."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from archive.models import SearchSynonym


def test_search_synonyms_start_with_the_archives_three_pairs(db):
    pairs = set(SearchSynonym.objects.values_list("term", "synonym"))
    assert {("truce", "ceasefire"), ("pull out", "withdrawal"), ("detainees", "prisoners")} <= pairs


def test_search_synonym_save_stores_the_lookup_form(db):
    synonym = SearchSynonym.objects.create(term="  Cessation-of-HOSTILITIES ", synonym="Armistice")
    synonym.refresh_from_db()
    assert (synonym.term, synonym.synonym) == ("cessation of hostilities", "armistice")


def test_search_synonym_expansions_work_both_ways(db):
    SearchSynonym.objects.create(term="armistice", synonym="ceasefire")
    found = SearchSynonym.objects.expansions(["ceasefire", "armistice", "doha"])
    assert found["ceasefire"] == ["armistice", "truce"]
    assert found["armistice"] == ["ceasefire"]
    assert "doha" not in found


def test_search_synonym_clean_refuses_itself_empty_and_the_reverse_pair(db):
    with pytest.raises(ValidationError, match="not a synonym of itself"):
        SearchSynonym(term="Truce", synonym="truce").full_clean()
    with pytest.raises(ValidationError, match="at least one letter"):
        SearchSynonym(term="--", synonym="truce").full_clean()
    with pytest.raises(ValidationError, match="already synonyms"):
        SearchSynonym(term="Ceasefire", synonym="TRUCE").full_clean()


def test_search_synonym_database_refuses_a_duplicate_pair(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        SearchSynonym.objects.create(term="truce", synonym="ceasefire")


def test_search_synonym_editor_adds_and_deletes_one_in_the_admin(editor_client):
    add = reverse("admin:archive_searchsynonym_add")
    response = editor_client.post(add, {"term": "Armistice", "synonym": "ceasefire"})
    assert response.status_code == 302, response.content.decode()[:2000]
    synonym = SearchSynonym.objects.get(term="armistice")
    assert synonym.history.first().history_user.username == "editor"
    response = editor_client.post(add, {"term": "ceasefire", "synonym": "armistice"})
    assert "already synonyms" in response.content.decode()
    delete = reverse("admin:archive_searchsynonym_delete", args=[synonym.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 302
    assert not SearchSynonym.objects.filter(term="armistice").exists()
