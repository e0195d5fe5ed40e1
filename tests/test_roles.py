"""Dated actor roles: the model's rules, the role held on a date at each precision, the words search
files roles under, and editing roles inline on the actor in the admin."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from archive.models import ActorRole, DatePrecision
from archive.roles import period, role_keywords, role_on, role_words
from tests.conftest import add_statement
from tests.factories import ActorFactory, ActorRoleFactory, ArticleFactory, TopicFactory
from tests.test_admin_bounded import form_data
from tests.test_admin_concurrency import editor

pytestmark = pytest.mark.django_db

D = datetime.date
DAY, MONTH, YEAR, UNKNOWN = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR, DatePrecision.UNKNOWN


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActorRoleFactory(**fields)


# --- model rules ------------------------------------------------------------------------------------


def test_role_end_before_start_is_refused_by_clean_and_database():
    role = ActorRoleFactory.build(
        actor=ActorFactory(), start_date=D(2021, 1, 26), end_date=D(2021, 1, 20), end_precision=DAY
    )
    with pytest.raises(ValidationError) as error:
        role.full_clean()
    assert "end_date" in error.value.message_dict
    refused(start_date=D(2021, 1, 26), end_date=D(2021, 1, 20), end_precision=DAY)


def test_role_end_may_be_open_and_is_current():
    role = ActorRoleFactory(start_date=D(2021, 1, 26), end_date=None, end_precision=UNKNOWN)
    role.full_clean()
    assert role.is_current and role.period_display == "from 26 January 2021"


def test_role_same_day_start_and_end_is_allowed():
    role = ActorRoleFactory(start_date=D(2021, 1, 20), end_date=D(2021, 1, 20), end_precision=DAY)
    role.full_clean()
    assert role.period_display == "20 January 2021 – 20 January 2021"


def test_role_precision_must_match_its_date():
    refused(start_date=D(2018, 9, 15), start_precision=MONTH)  # a month is stored as its first day
    refused(start_date=D(2018, 9, 1), start_precision=YEAR)  # a year as 1 January
    refused(start_date=None, start_precision=DAY)  # no date, no precision
    refused(start_date=D(2018, 9, 1), start_precision=UNKNOWN)
    role = ActorRoleFactory.build(actor=ActorFactory(), start_date=D(2018, 9, 15), start_precision=MONTH)
    with pytest.raises(ValidationError) as error:
        role.full_clean()
    assert "first day" in str(error.value)


def test_role_title_required_and_not_its_own_organisation():
    refused(title="")
    actor = ActorFactory()
    refused(actor=actor, organisation=actor)


def test_role_period_display_with_precisions():
    role = ActorRoleFactory(
        title="US Special Representative for Afghanistan Reconciliation",
        start_date=D(2018, 9, 1),
        start_precision=MONTH,
        end_date=D(2021, 10, 1),
        end_precision=MONTH,
    )
    assert role.period_display == "September 2018 – October 2021"
    assert (role.start_iso, role.end_iso) == ("2018-09", "2021-10")
    open_start = ActorRoleFactory(start_date=None, start_precision=UNKNOWN, end_date=D(2021, 1, 1), end_precision=YEAR)
    assert open_start.period_display == "until 2021"


def test_role_label_names_its_organisation_once():
    state = ActorFactory(name="State Department", kind="government")
    assert ActorRoleFactory(title="Spokesperson", organisation=state).label == "Spokesperson, State Department"
    assert ActorRoleFactory(title="State Department spokesperson", organisation=state).label == (
        "State Department spokesperson"
    )


def test_role_changes_are_kept_in_history():
    role = ActorRoleFactory(title="Spokesman")
    role.title = "Spokesperson"
    role.save()
    assert [h.title for h in role.history.order_by("history_id")] == ["Spokesman", "Spokesperson"]


# --- the role held on a date ------------------------------------------------------------------------


def test_period_of_each_precision():
    assert period(D(2018, 9, 1), MONTH) == (D(2018, 9, 1), D(2018, 9, 30))
    assert period(D(2020, 1, 1), YEAR) == (D(2020, 1, 1), D(2020, 12, 31))
    assert period(D(2020, 2, 29), DAY) == (D(2020, 2, 29), D(2020, 2, 29))
    assert period(None, DAY) is None and period(D(2020, 1, 1), UNKNOWN) is None


@pytest.fixture
def khalilzad():
    actor = ActorFactory(name="Zalmay Khalilzad", role="US envoy")
    ActorRoleFactory(
        actor=actor,
        title="US Special Representative for Afghanistan Reconciliation",
        start_date=D(2018, 9, 1),
        start_precision=MONTH,
        end_date=D(2021, 10, 1),
        end_precision=MONTH,
    )
    return actor


def test_role_on_a_month_precise_start_covers_days_of_that_month(khalilzad):
    assert role_on(khalilzad, D(2018, 9, 15)).title == "US Special Representative for Afghanistan Reconciliation"
    assert role_on(khalilzad, D(2018, 9, 1)).is_dated
    assert not role_on(khalilzad, D(2018, 8, 31))


def test_role_on_a_month_precise_end_covers_the_whole_month(khalilzad):
    assert role_on(khalilzad, D(2021, 10, 31)).is_dated
    assert not role_on(khalilzad, D(2021, 11, 1))


def test_role_on_a_date_known_to_the_month_or_year(khalilzad):
    assert role_on(khalilzad, D(2020, 2, 1), MONTH).is_dated
    assert role_on(khalilzad, D(2019, 1, 1), YEAR).is_dated
    # 2018 only partly falls in the role: it still overlaps, so it is the role he held then.
    assert role_on(khalilzad, D(2018, 1, 1), YEAR).is_dated
    assert not role_on(khalilzad, D(2017, 1, 1), YEAR)


def test_role_on_an_unknown_date_falls_back_to_the_coverage_role(khalilzad):
    for value, precision in ((None, DAY), (D(2020, 1, 1), UNKNOWN)):
        role = role_on(khalilzad, value, precision)
        assert not role.is_dated and role.label == "US envoy"


def test_role_on_an_actor_without_dated_roles_gives_the_coverage_role():
    actor = ActorFactory(role="Taliban spokesman")
    assert role_on(actor, D(2020, 1, 1)).label == "Taliban spokesman"
    assert role_on(None, D(2020, 1, 1)).label == ""


def test_role_on_prefers_the_role_covering_the_whole_period_over_one_overlapping_it():
    actor = ActorFactory()
    ActorRoleFactory(actor=actor, title="Deputy", start_date=D(2019, 1, 1), end_date=D(2021, 1, 20), end_precision=DAY)
    ActorRoleFactory(actor=actor, title="Head", start_date=D(2021, 1, 26))
    assert role_on(actor, D(2021, 1, 22)).title == ""  # between the two: neither
    assert role_on(actor, D(2021, 1, 1), MONTH).title == "Deputy; Head"  # January 2021: both overlap it
    assert role_on(actor, D(2021, 2, 1), MONTH).title == "Head"
    assert role_on(actor, D(2021, 1, 1), YEAR).title == "Deputy; Head"


def test_role_on_a_day_after_a_successor_starts_in_the_month_a_role_ends():
    # "Until January 2021" may cover 25 January, but a successor from the 20th surely does: the day shows
    # the successor alone.
    actor = ActorFactory()
    ActorRoleFactory(
        actor=actor, title="Secretary", start_date=D(2018, 4, 26), end_date=D(2021, 1, 1), end_precision=MONTH
    )
    ActorRoleFactory(actor=actor, title="Former secretary", start_date=D(2021, 1, 20))
    assert role_on(actor, D(2021, 1, 25)).title == "Former secretary"
    assert role_on(actor, D(2021, 1, 10)).title == "Secretary"  # only the first may cover it
    assert role_on(actor, D(2020, 6, 1)).title == "Secretary"


def test_role_with_open_start_covers_every_earlier_date():
    actor = ActorFactory()
    ActorRoleFactory(actor=actor, title="Spokesman", start_date=None, start_precision=UNKNOWN)
    assert role_on(actor, D(2001, 5, 5)).title == "Spokesman"


# --- the words search files a role under ------------------------------------------------------------


def test_role_words_fold_variants_and_drop_small_words():
    assert role_words("Spokesman of the Taliban") == ["spokesperson", "taliban"]
    assert role_words("State Department spokeswoman") == ["state", "department", "spokesperson"]
    assert role_words("Chairman of the High Council") == ["chair", "high", "council"]


def test_role_keywords_add_curated_names():
    keywords = role_keywords("US Special Representative for Afghanistan Reconciliation")
    assert "envoy" in keywords and "representative" in keywords
    assert {"foreign", "minister"} <= set(role_keywords("Secretary of State"))
    assert "envoy" not in role_keywords("Secretary of State")


# --- the admin ----------------------------------------------------------------------------------------


def test_admin_adds_a_dated_role_inline_with_history_and_version_check():
    side = ActorFactory(name="United States government", kind="government")
    actor = ActorFactory(name="Ned Price", affiliation=side)
    url = reverse("admin:archive_actor_change", args=[actor.pk])
    amina, bilal = editor("amina"), editor("bilal")
    a, b = form_data(amina.get(url)), form_data(bilal.get(url))
    a.update(
        {
            "roles-TOTAL_FORMS": "1",
            "roles-0-title": "State Department spokesperson",
            "roles-0-start_date": "2021-01-01",
            "roles-0-start_precision": "month",
            "roles-0-end_date": "",
            "roles-0-end_precision": "unknown",
            "roles-0-source_note": "US State Department biography",
            "change_reason": "Dated role added",
        }
    )
    response = amina.post(url, a)
    assert response.status_code == 302, response.context["inline_admin_formsets"][1].formset.errors
    role = ActorRole.objects.get(actor=actor)
    assert (role.start_date, role.start_precision) == (D(2021, 1, 1), "month")
    record = role.history.get()
    assert record.history_user.username == "amina" and record.history_change_reason == "Dated role added"

    # Bilal opened the form before her save: his stale form does not silently drop or edit her role.
    b["description"] = "Spokesperson of the State Department."
    assert bilal.post(url, b).status_code == 409
    assert ActorRole.objects.filter(actor=actor).count() == 1


def test_admin_refuses_a_role_ending_before_it_starts():
    side = ActorFactory(name="Taliban", kind="organisation")
    actor = ActorFactory(name="Zabihullah Mujahid", affiliation=side)
    url = reverse("admin:archive_actor_change", args=[actor.pk])
    client = editor("amina")
    data = form_data(client.get(url))
    data.update(
        {
            "roles-TOTAL_FORMS": "1",
            "roles-0-title": "Spokesman",
            "roles-0-start_date": "2021-05-01",
            "roles-0-start_precision": "day",
            "roles-0-end_date": "2020-05-01",
            "roles-0-end_precision": "day",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "A role cannot end before it starts." in response.content.decode()
    assert not ActorRole.objects.exists()


def test_merging_actors_moves_their_dated_roles():
    from archive import services

    survivor, duplicate = ActorFactory(name="Zabihullah Mujahid"), ActorFactory(name="Zabiullah Mujahid")
    ActorRoleFactory(actor=duplicate, title="Spokesman of the Taliban")
    services.merge_actors(survivor, [duplicate])
    assert list(survivor.roles.values_list("title", flat=True)) == ["Spokesman of the Taliban"]


# --- pages ----------------------------------------------------------------------------------------------


@pytest.fixture
def secretaries(db):
    """Pompeo quoted in 2020 and Blinken in 2021, each Secretary of State on that date; Blinken also
    quoted in 2020, before he held the office."""
    us = ActorFactory(name="United States government", kind="government")
    state = ActorFactory(name="State Department", kind="government", affiliation=us)
    pompeo = ActorFactory(name="Mike Pompeo", affiliation=us, role="top US diplomat")
    blinken = ActorFactory(name="Antony Blinken", affiliation=us, role="US Secretary of State")
    ActorRoleFactory(
        actor=pompeo,
        title="Secretary of State",
        organisation=state,
        start_date=D(2018, 4, 1),
        start_precision=MONTH,
        end_date=D(2021, 1, 20),
        end_precision=DAY,
        source_note="US State Department biography",
    )
    ActorRoleFactory(actor=blinken, title="Secretary of State", organisation=state, start_date=D(2021, 1, 26))
    said = {}
    for name, actor, date, precision in (
        ("pompeo_2020", pompeo, D(2020, 2, 29), DAY),
        ("blinken_2021", blinken, D(2021, 3, 1), MONTH),
        ("blinken_2020", blinken, D(2020, 11, 24), DAY),
    ):
        article = ArticleFactory(
            title=f"Remarks on the talks ({name})",
            body=f"Opening.\n\n“The process must go on, {name},” the official said in Washington.\n\nEnd.",
            published_date=date,
            date_precision=precision,
        )
        said[name] = add_statement(article, actor, f"The process must go on, {name},", review_status="verified")
    return {"pompeo": pompeo, "blinken": blinken, "state": state, **said}


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_statement_page_shows_the_role_held_on_its_date(client, secretaries):
    html = page(client, secretaries["pompeo_2020"].get_absolute_url())
    assert "Secretary of State, State Department" in html
    assert "<dt>Role then</dt>" in html
    html = page(client, secretaries["blinken_2021"].get_absolute_url())  # dated "March 2021"
    assert "Secretary of State, State Department" in html


def test_statement_before_any_dated_role_shows_no_role(client, secretaries):
    html = page(client, secretaries["blinken_2020"].get_absolute_url())
    assert "Secretary of State" not in html.split("</head>", 1)[1]
    assert "<dt>Role then</dt>" not in html


def test_statement_of_a_speaker_without_dated_roles_shows_the_coverage_role(client, db):
    actor = ActorFactory(name="Zabihullah Mujahid", role="Taliban spokesman")
    article = ArticleFactory(body="Opening.\n\n“We will talk again,” a spokesman said.\n\nEnd.")
    statement = add_statement(article, actor, "We will talk again,")
    html = page(client, statement.get_absolute_url())
    assert 'class="muted statement-role">Taliban spokesman<' in html
    assert "<dt>Role then</dt>" not in html  # the coverage's words are not presented as a dated role


def test_topic_page_cards_show_the_role_on_each_date(client, secretaries):
    topic = TopicFactory()
    for key in ("pompeo_2020", "blinken_2021", "blinken_2020"):
        secretaries[key].topics.add(topic)
    html = page(client, topic.get_absolute_url())
    assert html.count('<span class="statement-role">Secretary of State, State Department</span>') == 2


def test_actor_page_lists_dated_roles_with_precision_and_source(client, secretaries):
    html = page(client, secretaries["pompeo"].get_absolute_url())
    assert '<h2 id="roles-h">Roles</h2>' in html
    assert '<span class="role-title">Secretary of State</span>, <a href="/actors/state-department/">' in html
    assert "(April 2018 – 20 January 2021)" in html
    assert "Source: US State Department biography" in html
    html = page(client, secretaries["blinken"].get_absolute_url())
    assert "(from 26 January 2021)" in html


def test_actor_page_without_dated_roles_has_no_role_list(client, db):
    actor = ActorFactory(name="Omar Waraich", needs_review=False)
    assert 'id="roles-h"' not in page(client, actor.get_absolute_url())


def test_hidden_organisation_is_not_named_in_a_role(client, secretaries):
    ministry = ActorFactory(name="Unchecked Ministry", kind="government", needs_review=True)
    ActorRoleFactory(actor=secretaries["pompeo"], title="Adviser", organisation=ministry, start_date=D(2017, 1, 1))
    assert "Unchecked Ministry" not in page(client, secretaries["pompeo"].get_absolute_url())


def json_ld_nodes(html: str) -> list[dict]:
    import json
    import re

    return [json.loads(m) for m in re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)]


def test_json_ld_statement_speaker_job_title_is_the_role_on_the_date(client, secretaries):
    (node,) = [n for n in json_ld_nodes(page(client, secretaries["pompeo_2020"].get_absolute_url())) if "text" in n]
    assert node["creator"]["@type"] == "Person" and node["creator"]["jobTitle"] == "Secretary of State"
    (node,) = [n for n in json_ld_nodes(page(client, secretaries["blinken_2020"].get_absolute_url())) if "text" in n]
    assert "jobTitle" not in node["creator"]


def test_json_ld_actor_has_dated_occupations_valid_for_schema_org(client, secretaries):
    from tests.test_jsonld import check

    html = page(client, secretaries["pompeo"].get_absolute_url())
    (person,) = [n for n in json_ld_nodes(html) if n.get("@type") == "Person"]
    assert person["hasOccupation"] == [
        {
            "@type": "Role",
            "roleName": "Secretary of State",
            "startDate": "2018-04",
            "endDate": "2021-01-20",
            "hasOccupation": {
                "@type": "Occupation",
                "name": "Secretary of State",
                "description": "Secretary of State, State Department",
            },
        }
    ]
    check(person, "actor page", [])


def test_editor_group_adds_roles_inline_but_does_not_delete_them(editor_client):
    side = ActorFactory(name="Taliban", kind="organisation")
    actor = ActorFactory(name="Mohammad Naeem", affiliation=side)
    ActorRoleFactory(actor=actor, title="Spokesman of the political office", start_date=None, start_precision=UNKNOWN)
    url = reverse("admin:archive_actor_change", args=[actor.pk])
    response = editor_client.get(url)
    roles = response.context["inline_admin_formsets"][1].formset
    assert roles.prefix == "roles" and not roles.can_delete
    data = form_data(response)
    data.update(
        {
            "roles-TOTAL_FORMS": "2",
            "roles-1-title": "Member of the negotiating team",
            "roles-1-start_date": "2020-09-01",
            "roles-1-start_precision": "month",
            "roles-1-end_precision": "unknown",
        }
    )
    assert editor_client.post(url, data).status_code == 302
    assert set(actor.roles.values_list("title", flat=True)) == {
        "Spokesman of the political office",
        "Member of the negotiating team",
    }
