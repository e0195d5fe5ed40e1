"""Agreements: model rules, suggestions, services, the public pages (with query counts), feeds, API and exports."""

import csv
import datetime
import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from archive.agreements import charts, services, suggest
from archive.models import (
    Agreement,
    Deadline,
    ImplementationAssessment,
    Provision,
    Statement,
    StatementProvisionLink,
)
from tests.conftest import add_statement
from tests.factories import ActorFactory, ArticleFactory

SIGNED = datetime.date(2020, 2, 29)
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def deal(site_data):
    """An agreement between the two sides of site_data with two provisions, deadlines, assessments and links."""
    agreement = Agreement.objects.create(
        title="Agreement for a test peace",
        short_title="Test agreement",
        signed_date=SIGNED,
        signed_place="Doha, Qatar",
        summary="The two sides agree on a withdrawal and a ceasefire.",
    )
    agreement.parties.add(site_data["usg"], site_data["taliban"])
    withdrawal = Provision.objects.create(
        agreement=agreement,
        number="Part One",
        slug="withdrawal",
        position=1,
        title="Forces leave within fourteen months",
        summary="All foreign forces leave within fourteen months.",
        obligated_party=site_data["usg"],
        beneficiary=site_data["taliban"],
        keywords="forces + leave\nwithdrawal",
    )
    withdrawal.topics.add(site_data["withdrawal"])
    ceasefire = Provision.objects.create(
        agreement=agreement,
        number="Preamble, 4",
        slug="ceasefire",
        position=0,
        title="A ceasefire on the agenda",
        summary="A permanent ceasefire is discussed in the negotiations.",
        obligated_party=site_data["taliban"],
        keywords="ceasefire",
    )
    ceasefire.topics.add(site_data["ceasefire"])
    Deadline.objects.create(
        provision=withdrawal, date=datetime.date(2021, 4, 29), description="Every force out (fourteen months)"
    )
    early = ImplementationAssessment.objects.create(
        provision=withdrawal,
        as_of=datetime.date(2020, 9, 1),
        as_of_precision="month",
        status="minimal",
        rationale="A start.",
    )
    late = ImplementationAssessment.objects.create(
        provision=withdrawal,
        as_of=datetime.date(2021, 6, 1),
        as_of_precision="month",
        status="intermediate",
        rationale="More.",
    )
    late.evidence_statements.add(site_data["s3"], site_data["hidden"])
    late.evidence_articles.add(site_data["first"], site_data["draft"])
    links = {
        "kept": StatementProvisionLink.objects.create(
            statement=site_data["s1"], provision=withdrawal, relation="claims_kept"
        ),
        "broken": StatementProvisionLink.objects.create(
            statement=site_data["s4"], provision=withdrawal, relation="claims_broken"
        ),
        "demand": StatementProvisionLink.objects.create(
            statement=site_data["s3"], provision=withdrawal, relation="demands"
        ),
        "anonymous": StatementProvisionLink.objects.create(
            statement=site_data["anonymous"], provision=withdrawal, relation="claims_broken"
        ),
        "suggested": StatementProvisionLink.objects.create(
            statement=site_data["s2"], provision=withdrawal, relation="claims_kept", review_status="suggested"
        ),
        "hidden": StatementProvisionLink.objects.create(
            statement=site_data["hidden"], provision=withdrawal, relation="claims_kept"
        ),
        "rejected_statement": StatementProvisionLink.objects.create(
            statement=site_data["rejected"], provision=ceasefire, relation="claims_broken"
        ),
    }
    return {
        **site_data,
        "agreement": agreement,
        "withdrawal_provision": withdrawal,
        "ceasefire_provision": ceasefire,
        "early": early,
        "late": late,
        "links": links,
    }


# --- Model rules -------------------------------------------------------------------------------------------


def test_deadline_cannot_fall_before_the_signing(deal):
    provision = deal["withdrawal_provision"]
    early = Deadline(provision=provision, date=SIGNED - datetime.timedelta(days=1), description="Too early")
    with pytest.raises(ValidationError, match="before the agreement was signed"):
        early.full_clean()
    with pytest.raises(ValidationError, match="before the agreement was signed"):
        early.save()  # no save path skips the rule
    assert not Deadline.objects.filter(description="Too early").exists()
    Deadline(provision=provision, date=SIGNED, description="On the day").save()  # the signing day itself is fine


def test_signing_date_cannot_move_past_a_deadline(deal):
    agreement = deal["agreement"]
    agreement.signed_date = datetime.date(2021, 5, 1)
    with pytest.raises(ValidationError, match="Part One has a deadline before it"):
        agreement.full_clean()


def test_month_precise_dates_are_stored_as_the_first_day(deal):
    provision = deal["withdrawal_provision"]
    with pytest.raises(ValidationError, match="first day"):
        Deadline(provision=provision, date=datetime.date(2021, 5, 7), precision="month", description="May").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Deadline.objects.create(provision=provision, date=datetime.date(2021, 5, 7), precision="month", description="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        ImplementationAssessment.objects.create(
            provision=provision, as_of=datetime.date(2021, 5, 7), as_of_precision="year", status="full", rationale="x"
        )


def test_assessment_cannot_predate_the_signing_and_needs_a_valid_status(deal):
    provision = deal["withdrawal_provision"]
    with pytest.raises(ValidationError, match="only signed"):
        ImplementationAssessment(
            provision=provision, as_of=datetime.date(2019, 1, 1), status="full", rationale="x"
        ).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        ImplementationAssessment.objects.create(
            provision=provision, as_of=datetime.date(2021, 1, 1), status="done", rationale="x"
        )


def test_a_statement_has_one_relation_per_provision(deal):
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementProvisionLink.objects.create(
            statement=deal["s1"], provision=deal["withdrawal_provision"], relation="claims_broken"
        )
    # The same statement may speak about another provision.
    StatementProvisionLink.objects.create(
        statement=deal["s1"], provision=deal["ceasefire_provision"], relation="demands"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementProvisionLink.objects.create(
            statement=deal["s2"], provision=deal["ceasefire_provision"], relation="agrees"
        )


def test_changes_are_kept_in_history(deal):
    link = deal["links"]["kept"]
    link.relation = "interprets"
    link.save()
    assert [h.relation for h in link.history.order_by("history_date")] == ["claims_kept", "interprets"]
    # An assessment's history records its evidence with each version.
    latest = deal["late"].history.latest()
    assert {row.statement_id for row in latest.evidence_statements.all()} == {deal["s3"].pk, deal["hidden"].pk}
    assert deal["withdrawal_provision"].history.exists() and deal["agreement"].history.exists()


# --- Suggestions ---------------------------------------------------------------------------------------------


CUES = [
    suggest.ProvisionCues(1, frozenset({10}), (("troops", "withdraw"), ("withdrawal",))),
    suggest.ProvisionCues(2, frozenset({20}), (("prisoners",),)),
    suggest.ProvisionCues(3, frozenset({30}), (("isis",),)),
]


def test_suggest_needs_the_words_and_a_shared_topic():
    (found,) = suggest.suggest("The withdrawal of US troops will be completed", [10], CUES)
    assert found.provision_id == 1 and found.relation == "claims_kept"
    assert "troops + withdraw" in found.reason and "withdrawal" in found.reason
    assert suggest.suggest("The withdrawal of US troops", [20], CUES) == []  # no shared topic
    assert suggest.suggest("Talks resumed on Monday", [10], CUES) == []  # no words


def test_suggest_matches_phrases_at_word_starts_only():
    assert suggest.suggest("The crisis deepened as isis attacked", [30], CUES)[0].provision_id == 3
    assert suggest.suggest("The crisis deepened", [30], CUES) == []  # "isis" inside "crisis" is no match


def test_suggest_without_topics_needs_stronger_wording():
    assert suggest.suggest("Prisoners were moved", [], CUES) == []
    assert suggest.suggest("US troops began to withdraw", [], CUES)[0].provision_id == 1


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("The spokesman denied that any prisoners were freed", "denies"),
        ("The Taliban failed to cut ties with isis", "claims_broken"),
        ("The government has released the prisoners", "claims_kept"),
        ("All prisoners must be freed first", "demands"),
        ("We will free the prisoners next week", "promises"),
        ("The prisoners are the key question", "interprets"),
    ],
)
def test_guess_relation_from_cue_words(text, relation):
    assert suggest.guess_relation(text) == relation


def test_suggest_links_stores_suggestions_and_never_overrides_decisions(deal):
    withdrawal = deal["withdrawal_provision"]
    statement = add_statement(deal["second"], deal["spokesman"], "The group answered in a statement")
    statement.topics.add(deal["withdrawal"])
    article = ArticleFactory(body="Officials said the withdrawal of foreign forces must go on.")
    new = add_statement(article, deal["envoy"], "the withdrawal of foreign forces must go on")
    new.topics.add(deal["withdrawal"])
    before = StatementProvisionLink.objects.count()
    created = services.suggest_links(Statement.objects.filter(pk__in=[new.pk, deal["s1"].pk, statement.pk]))
    assert created == 1  # s1 already has a confirmed link; the other statement has no cue words
    link = StatementProvisionLink.objects.get(statement=new)
    assert (link.provision, link.review_status, link.relation) == (withdrawal, "suggested", "demands")
    assert link.history.get().history_change_reason.startswith("Suggested")
    assert services.suggest_links(Statement.objects.filter(pk=new.pk)) == 0  # running again adds nothing
    assert StatementProvisionLink.objects.count() == before + 1
    assert deal["links"]["kept"].review_status == "confirmed"


def test_link_statements_confirms_and_updates_instead_of_doubling(deal, editor):
    withdrawal = deal["withdrawal_provision"]
    statements = Statement.objects.filter(pk__in=[deal["s2"].pk, deal["s4"].pk])
    changed = services.link_statements(statements, withdrawal, "interprets", user=editor)
    assert changed == 2
    assert set(
        StatementProvisionLink.objects.filter(statement__in=statements, provision=withdrawal).values_list(
            "relation", "review_status"
        )
    ) == {("interprets", "confirmed")}
    assert deal["links"]["suggested"].history.latest().history_user == editor
    assert services.link_statements(statements, withdrawal, "interprets", user=editor) == 0


# --- Pages ---------------------------------------------------------------------------------------------------


def test_agreement_list_shows_counts(client, deal):
    page = html(client.get(reverse("archive:agreement_list")))
    assert "Test agreement" in page and "2 provisions" in page
    assert "1 claim kept" in page  # the draft's statement and the suggestion are not counted
    assert "2 claims broken" in page  # the named and the anonymous speaker; the rejected statement is not


def test_agreement_page_shows_status_deadlines_and_claims_by_side(client, deal):
    page = html(client.get(deal["agreement"].get_absolute_url()))
    # Provisions in their order, each with its current status and deadline.
    assert page.index("A ceasefire on the agenda") < page.index("Forces leave within fourteen months")
    assert "Intermediate</span>" in page and "as of June 2021" in page
    assert "29 April 2021 (Every force out (fourteen months))" in page
    assert "United States government: 1 kept, 0 broken" in page
    assert "Taliban: 0 kept, 1 broken" in page
    assert "Unattributed: 0 kept, 1 broken" in page
    # The strip, with a table alternative.
    assert 'role="img"' in page and "Minimal from September 2020 until June 2021" in page
    assert '<th scope="row">June 2021</th><td>no later assessment</td><td>Intermediate</td>' in page
    assert "Not assessed" in page
    data = [json.loads(b) for b in JSONLD.findall(page)]
    assert data[0]["@type"] == "Legislation" and data[0]["legislationDate"] == "2020-02-29"
    assert [p["legislationIdentifier"] for p in data[0]["hasPart"]] == ["Preamble, 4", "Part One"]


def test_provision_page_shows_columns_timeline_and_deadline_outcome(client, deal):
    page = html(client.get(deal["withdrawal_provision"].get_absolute_url()))
    assert "We are closer than ever to a deal" in page  # kept, US side
    assert "There will be no ceasefire before withdrawal" in page  # broken, Taliban side
    assert "foreign forces must leave" in page and "Demands" in page
    assert "A secret deal is near" not in page  # the draft's statement
    assert "a ceasefire must come first" not in page  # only a suggestion
    assert "The group answered" not in page  # rejected statement
    # The deadline, and what happened by then.
    assert "Due 29 April 2021:" in page
    assert 'By then: <span class="status-badge status-minimal">Minimal</span> (assessed as of September 2020)' in page
    # Evidence: the public statement and the published article only.
    assert deal["s3"].get_absolute_url() in page and deal["first"].get_absolute_url() in page
    assert deal["hidden"].get_absolute_url() not in page and deal["draft"].get_absolute_url() not in page
    assert "an article not yet published" in page
    # Kept and broken columns by side.
    # Kept and broken columns by side, the busiest first, unattributed last.
    columns = [c.strip() for c in re.findall(r'class="compare-head">(?:<a [^>]+>)?([^<]+)', page)]
    assert columns == ["Taliban", "United States government", "Unattributed"]


def test_statement_page_says_which_provision_and_how(client, deal):
    page = html(client.get(deal["s4"].get_absolute_url()))
    assert "Claims broken" in page and deal["withdrawal_provision"].get_absolute_url() in page
    page = html(client.get(deal["s2"].get_absolute_url()))
    assert "Agreement provision" not in page  # a suggestion is not shown to the public


def test_unknown_agreement_and_provision_are_404(client, deal):
    assert client.get("/agreements/no-such-agreement/").status_code == 404
    assert client.get(f"/agreements/{deal['agreement'].slug}/no-such-provision/").status_code == 404
    assert client.get("/agreements/no-such-agreement/withdrawal/").status_code == 404


def _more_provisions(deal, n):
    for i in range(n):
        provision = Provision.objects.create(
            agreement=deal["agreement"],
            number=f"Extra {i}",
            slug=f"extra-{i}",
            position=10 + i,
            title=f"Extra {i}",
            summary="More.",
            obligated_party=deal["taliban"],
        )
        Deadline.objects.create(provision=provision, date=datetime.date(2020, 6, 1 + i), description="Due")
        ImplementationAssessment.objects.create(
            provision=provision, as_of=datetime.date(2021, 1, 1 + i), status="full", rationale="Done."
        )
        article = ArticleFactory(body=f"The envoy said the deal was kept number {i}.")
        statement = add_statement(article, ActorFactory(affiliation=deal["usg"]), f"the deal was kept number {i}")
        StatementProvisionLink.objects.create(statement=statement, provision=provision, relation="claims_kept")


def test_agreement_page_query_count(client, deal, django_assert_num_queries):
    # agreement, parties, provisions, deadlines, assessments, links, sides, JSON-LD parties (prefetched once)
    with django_assert_num_queries(7):
        html(client.get(deal["agreement"].get_absolute_url()))
    _more_provisions(deal, 8)
    with django_assert_num_queries(7):
        page = html(client.get(deal["agreement"].get_absolute_url()))
    assert page.count('class="provision-item"') == 10


def test_provision_page_query_count(client, deal, django_assert_num_queries):
    provision = deal["withdrawal_provision"]
    # provision, topics, deadlines, assessments, evidence statements, evidence articles, links, the
    # speakers' dated roles, sides
    with django_assert_num_queries(9):
        html(client.get(provision.get_absolute_url()))
    for i in range(6):
        article = ArticleFactory(body=f"A spokesman said the forces broke it, time {i}.")
        statement = add_statement(article, ActorFactory(affiliation=deal["taliban"]), f"the forces broke it, time {i}")
        StatementProvisionLink.objects.create(statement=statement, provision=provision, relation="claims_broken")
    with django_assert_num_queries(9):
        page = html(client.get(provision.get_absolute_url()))
    assert page.count("the forces broke it") >= 6


def test_agreement_list_query_count(client, deal, django_assert_num_queries):
    _more_provisions(deal, 3)
    with django_assert_num_queries(2):  # agreements with counts, parties
        html(client.get(reverse("archive:agreement_list")))


# --- Status strip --------------------------------------------------------------------------------------------


def test_status_strip_segments_follow_the_assessments(deal):
    provision = deal["withdrawal_provision"]
    assessments = [deal["early"], deal["late"]]
    scale = charts.scale_for(SIGNED, [datetime.date(2021, 6, 1)])
    strip = charts.status_strip(provision, assessments, list(provision.deadlines.all()), scale)
    assert [s.css for s in strip.segments] == ["status-unassessed", "status-minimal", "status-intermediate"]
    # Segments tile the band without gaps, from the signing to the end of the scale.
    ends = [round(s.x + s.width, 1) for s in strip.segments]
    assert [round(s.x, 1) for s in strip.segments[1:]] == ends[:-1]
    assert strip.segments[0].x == charts.LEFT and ends[-1] == charts.WIDTH - charts.RIGHT
    assert len(strip.deadlines) == 1 and strip.xlabels[1][1] == "2021"


# --- Feeds, sitemap, API, exports ----------------------------------------------------------------------------


def test_agreement_feed_lists_assessments_and_public_statements(client, deal):
    body = client.get(reverse("archive:agreement_atom", args=[deal["agreement"].slug])).content.decode()
    assert "Part One: Intermediate as of June 2021" in body
    assert "Zabihullah Mujahid — claims broken: Part One" in body
    assert "A secret deal" not in body and "a ceasefire must come first" not in body
    ids = re.findall(r"<id>(tag:[^<]+)</id>", body)
    assert len(ids) == len(set(ids)) > 0
    assert client.get("/feeds/agreements/nope/rss/").status_code == 404


def test_sitemap_lists_agreements_and_provisions(client, deal):
    body = client.get("/sitemap-provisions.xml").content.decode()
    assert deal["withdrawal_provision"].get_absolute_url() in body
    assert deal["agreement"].get_absolute_url() in client.get("/sitemap-agreements.xml").content.decode()


def test_api_agreement_and_provision(client, deal, no_throttle):
    data = client.get(f"/api/agreements/{deal['agreement'].slug}/").json()
    assert [p["slug"] for p in data["provisions"]] == ["ceasefire", "withdrawal"]
    withdrawal = data["provisions"][1]
    assert withdrawal["current_status"] == {"as_of": "2021-06-01", "as_of_precision": "month", "status": "intermediate"}
    assert withdrawal["deadlines"][0]["date"] == "2021-04-29"
    detail = client.get(f"/api/provisions/{deal['withdrawal_provision'].pk}/").json()
    late = detail["assessments"][1]
    assert late["evidence_articles"] == [deal["first"].slug]  # the draft is left out
    assert late["evidence_statements"] == [f"http://testserver/api/statements/{deal['s3'].pk}/"]


def test_api_links_are_public_and_confirmed_only(client, deal, no_throttle):
    data = client.get("/api/provision-links/", {"agreement": deal["agreement"].slug}).json()
    ids = {row["statement"]["id"] for row in data["results"]}
    assert ids == {deal["s1"].pk, deal["s4"].pk, deal["s3"].pk, deal["anonymous"].pk}
    broken = client.get("/api/provision-links/", {"relation": "claims_broken"}).json()["results"]
    assert {row["side"]["slug"] if row["side"] else None for row in broken} == {"taliban", None}
    assert client.get("/api/provision-links/", {"agreement": "nope"}).status_code == 400


def test_export_of_an_agreements_links(client, deal, no_throttle):
    response = client.get(f"/api/agreements/{deal['agreement'].slug}/links.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {(r["relation"], r["side"]) for r in rows} == {
        ("claims_kept", "United States government"),
        ("claims_broken", "Taliban"),
        ("demands", "Taliban"),
        ("claims_broken", ""),
    }
    one = client.get(f"/api/agreements/{deal['agreement'].slug}/ceasefire/links.json")
    assert json.loads(b"".join(one.streaming_content)) == []  # its only link is to a rejected statement
    assert client.get(f"/api/agreements/{deal['agreement'].slug}/nope/links.json").status_code == 404


# --- The curated corpus --------------------------------------------------------------------------------------


def test_curated_agreements_load_with_their_facts(corpus):
    deal = Agreement.objects.get(slug="us-taliban-agreement")
    assert deal.provisions.count() == 19 and deal.signed_date == SIGNED
    troops = deal.provisions.get(slug="reduce-to-8600")
    assert "8,600" in troops.summary and troops.deadlines.get().date == datetime.date(2020, 7, 13)
    prisoners = deal.provisions.get(slug="prisoner-release")
    assert "5,000" in prisoners.summary and "1,000" in prisoners.summary
    assert prisoners.deadlines.first().date == datetime.date(2020, 3, 10)
    deadlines = {p.slug: [d.date.isoformat() for d in p.deadlines.all()] for p in deal.provisions.all()}
    assert deadlines["un-sanctions"] == ["2020-05-29"] and deadlines["us-sanctions-review"] == ["2020-08-27"]
    assert deadlines["intra-afghan-negotiations"] == ["2020-03-10"]
    assert Agreement.objects.get(slug="us-afghanistan-joint-declaration").provisions.count() == 8
    # Every curated link is a confirmed link of a public statement; none is a suggestion.
    assert StatementProvisionLink.objects.count() == StatementProvisionLink.objects.public().count() == 30
    for deadline in Deadline.objects.select_related("provision__agreement"):
        assert deadline.date >= deadline.provision.agreement.signed_date


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_hostile_text_is_escaped_on_every_agreement_page_and_feed(client, deal, editor_client):
    agreement, provision = deal["agreement"], deal["withdrawal_provision"]
    Agreement.objects.filter(pk=agreement.pk).update(short_title=HOSTILE, summary=HOSTILE, signed_place=HOSTILE)
    Provision.objects.filter(pk=provision.pk).update(title=HOSTILE, summary=HOSTILE, number=HOSTILE[:40])
    deal["late"].rationale = HOSTILE
    deal["late"].save()
    pages = [
        reverse("archive:agreement_list"),
        agreement.get_absolute_url(),
        provision.get_absolute_url(),
        deal["s1"].get_absolute_url(),
        reverse("archive:agreement_feed", args=[agreement.slug]),
        reverse("archive:agreement_atom", args=[agreement.slug]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body, url
    for name in ["agreement", "provision", "implementationassessment", "statementprovisionlink"]:
        body = editor_client.get(reverse(f"admin:archive_{name}_changelist")).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body, name


def test_provision_slug_is_made_from_its_number_and_unique_in_its_agreement(deal):
    def make(number):
        return Provision.objects.create(
            agreement=deal["agreement"], number=number, title="T", summary="S.", obligated_party=deal["usg"]
        )

    assert make("Part Two, 1").slug == "part-two-1"
    assert make("Part Two 1").slug == "part-two-1-2"
