"""A small archive for the API, export and dump tests: two sides, a draft, a rejected and an anonymous statement."""

import datetime
from types import SimpleNamespace

from archive.models import Actor, Alias, Article, Statement
from tests.factories import ActorFactory, ArticleFactory, SourceFactory, TopicFactory

BODY_1 = (
    "Doha talks.\n\n"
    "“We are ready for a ceasefire,” Suhail Shaheen said on Twitter.\n\n"
    "“=SUM(A1:A9) is not a plan,” the envoy said.\n\n"
    "Officials said “the prisoners will be released soon” after the meeting.\n\n"
    "“No deal yet,” a person familiar with the talks said."
)
BODY_2 = "Kabul reply.\n\n“The government will not accept this,” the president told reporters in Kabul."
BODY_DRAFT = "Draft story.\n\n“Unpublished words,” Suhail Shaheen said."


def span(article, words):
    start = article.body.index(words)
    return {"article": article, "start": start, "end": start + len(words), "text": words}


def build_world():
    """Create the small archive and return its objects by name."""
    w = SimpleNamespace()
    w.aljazeera = SourceFactory(name="Al Jazeera")
    w.afp = SourceFactory(name="Agence France-Presse")
    w.ceasefire = TopicFactory(name="Ceasefire")
    w.prisoners = TopicFactory(name="Prisoner release")
    w.taliban = ActorFactory(name="Taliban", kind=Actor.Kind.ORGANISATION)
    w.usgov = ActorFactory(name="United States government", kind=Actor.Kind.GOVERNMENT)
    w.shaheen = ActorFactory(name="Suhail Shaheen", affiliation=w.taliban, role="Taliban spokesman")
    w.office = ActorFactory(name="Taliban political office", kind=Actor.Kind.ORGANISATION, affiliation=w.taliban)
    w.khalilzad = ActorFactory(name="Zalmay Khalilzad", affiliation=w.usgov, role="US envoy")
    w.ghani = ActorFactory(name="Ashraf Ghani", role="President")
    Alias.objects.create(actor=w.khalilzad, name="Zalmay Khalilzad")
    Alias.objects.create(actor=w.khalilzad, name="Khalilzad")
    Alias.objects.create(actor=w.shaheen, name="Suhail Shaheen")

    w.doha = ArticleFactory(
        title="Doha talks resume",
        body=BODY_1,
        source=w.aljazeera,
        published_date=datetime.date(2020, 2, 29),
        date_precision=Article.DatePrecision.DAY,
        editor_notes="SECRET-EDITOR-NOTE",
        raw_text="RAW-IMPORT-TEXT " + BODY_1,
    )
    w.doha.topics.set([w.ceasefire, w.prisoners])
    w.doha.credited_sources.set([w.afp])
    w.kabul = ArticleFactory(
        title="Kabul replies",
        body=BODY_2,
        source=w.afp,
        published_date=datetime.date(2019, 1, 1),
        date_precision=Article.DatePrecision.MONTH,
    )
    w.kabul.topics.set([w.prisoners])
    w.draft = ArticleFactory(title="Draft story", body=BODY_DRAFT, status=Article.Status.DRAFT, source=w.aljazeera)

    w.s_ceasefire = Statement.objects.create(
        **span(w.doha, "We are ready for a ceasefire"),
        speaker=w.shaheen,
        medium=Statement.Medium.TWEET,
        review_status=Statement.ReviewStatus.VERIFIED,
    )
    w.s_ceasefire.topics.set([w.ceasefire])
    w.s_formula = Statement.objects.create(
        **span(w.doha, "=SUM(A1:A9) is not a plan"),
        speaker=w.khalilzad,
        medium=Statement.Medium.INTERVIEW,
        said_to="Al Jazeera",
    )
    w.s_prisoners = Statement.objects.create(
        **span(w.doha, "the prisoners will be released soon"),
        speaker=w.office,
        kind=Statement.Kind.PARTIAL,
        medium=Statement.Medium.STATEMENT,
        review_status=Statement.ReviewStatus.VERIFIED,
    )
    w.s_prisoners.topics.set([w.prisoners])
    w.s_anonymous = Statement.objects.create(
        **span(w.doha, "No deal yet"), speaker_description="a person familiar with the talks"
    )
    w.s_ghani = Statement.objects.create(
        **span(w.kabul, "The government will not accept this"),
        speaker=w.ghani,
        kind=Statement.Kind.DIRECT,
        medium=Statement.Medium.BRIEFING,
        date=datetime.date(2019, 1, 15),
    )
    w.s_rejected = Statement.objects.create(
        **span(w.kabul, "told reporters in Kabul"),
        speaker=w.ghani,
        kind=Statement.Kind.INDIRECT,
        review_status=Statement.ReviewStatus.REJECTED,
    )
    w.s_draft = Statement.objects.create(**span(w.draft, "Unpublished words"), speaker=w.shaheen)
    w.public_statements = [w.s_ceasefire, w.s_formula, w.s_prisoners, w.s_anonymous, w.s_ghani]
    return w
