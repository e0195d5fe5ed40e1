"""The JSON-LD of every page kind, read with extruct, uses schema.org types and properties as schema.org defines them.

Each type the site emits has the properties schema.org gives it (and only those), the properties the
site promises, and values of the types schema.org expects (an author is a Person or an Organization, an
affiliation an Organization). On top: dates are partial ISO 8601 as far as they are known, reported
speech is a Claim and quoted words a Quotation, group labels are never organisations.
"""

import datetime
import re

import extruct
import pytest

from archive.models import Actor, Article, Statement
from tests.conftest import add_statement
from tests.factories import ArticleFactory, SourceFactory
from tests.site_pages import page_urls

AGENTS = {"Person", "Organization", "GovernmentOrganization"}
ORGANISATIONS = {"Organization", "GovernmentOrganization"}
ACTORS = AGENTS | {"Country"}
CREATIVE_WORK = {"text", "url", "dateCreated", "about", "creditText", "name", "description", "isPartOf", "mentions"}

# type: (the properties schema.org defines for it that the site may use, the properties the site requires)
TYPES = {
    "WebSite": ({"name", "url", "potentialAction"}, {"name", "url"}),
    "SearchAction": ({"target", "query-input"}, {"target"}),
    "NewsArticle": (
        {"headline", "name", "url", "datePublished", "dateModified", "dateline", "author", "publisher"}
        | {"sourceOrganization", "sameAs", "about", "mentions", "inLanguage", "isAccessibleForFree"},
        {"headline", "url"},
    ),
    "Person": ({"name", "url", "alternateName", "description", "jobTitle", "affiliation", "hasOccupation"}, {"name"}),
    "Role": ({"roleName", "startDate", "endDate", "hasOccupation"}, {"roleName", "hasOccupation"}),
    "Occupation": ({"name", "description"}, {"name"}),
    "Organization": ({"name", "url", "alternateName", "description", "parentOrganization", "areaServed"}, {"name"}),
    "GovernmentOrganization": (
        {"name", "url", "alternateName", "description", "parentOrganization", "areaServed"},
        {"name"},
    ),
    "Country": ({"name", "url", "alternateName", "description"}, {"name"}),
    "Thing": ({"name", "description"}, {"name"}),
    "Quotation": (CREATIVE_WORK | {"creator", "citation"}, {"text", "url", "isPartOf"}),
    "Claim": (CREATIVE_WORK | {"author", "appearance"}, {"text", "url", "appearance"}),
    "DefinedTerm": ({"name", "description", "url", "termCode", "inDefinedTermSet"}, {"name", "inDefinedTermSet"}),
    "DefinedTermSet": ({"name", "url"}, {"name"}),
    "CollectionPage": ({"name", "description", "url", "isPartOf", "mainEntity"}, {"name", "mainEntity"}),
    "ItemList": ({"numberOfItems", "itemListElement"}, {"itemListElement", "numberOfItems"}),
    "ListItem": ({"position", "name", "url"}, {"position", "name"}),
    "Legislation": (
        {"name", "alternateName", "legislationIdentifier", "legislationType", "legislationDate", "abstract"}
        | {"legislationPassedBy", "legislationResponsible", "url", "sameAs", "hasPart", "isPartOf", "about"}
        | {"locationCreated"},
        {"name", "url"},
    ),
    "Place": ({"name"}, {"name"}),
}
# property: the types its value may have (schema.org's ranges, narrowed to what is true here)
RANGES = {
    "author": AGENTS,
    "creator": AGENTS,
    "publisher": ORGANISATIONS,
    "sourceOrganization": ORGANISATIONS,
    "affiliation": ORGANISATIONS,
    "hasOccupation": {"Role", "Occupation"},
    "parentOrganization": ORGANISATIONS,
    "areaServed": {"Country"},
    # An article mentions actors; a statement mentions the statements it answers (confirmed relations).
    "mentions": ACTORS | {"Quotation", "Claim"},
    "isPartOf": {"NewsArticle", "WebSite", "Legislation"},
    "hasPart": {"Legislation"},
    "legislationPassedBy": AGENTS,
    "legislationResponsible": AGENTS,
    "locationCreated": {"Place"},
    "appearance": {"NewsArticle"},
    "about": {"Thing"},
    "mainEntity": {"ItemList"},
    "itemListElement": {"ListItem"},
    "inDefinedTermSet": {"DefinedTermSet"},
    "potentialAction": {"SearchAction"},
}
PARTIAL_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
PAGE_TYPES = {
    "home": {"WebSite"},
    "article": {"NewsArticle"},
    "actor": ACTORS | {"CollectionPage"},
    "topic": {"DefinedTerm"},
    "statement": {"Quotation", "Claim"},
    "article_list": {"CollectionPage"},
    "actor_list": {"CollectionPage"},
    "topic_list": {"CollectionPage"},
    "timeline": {"CollectionPage"},
    "search": {"CollectionPage"},
    "agreement_list": {"CollectionPage"},
    "agreement": {"Legislation"},
    "provision": {"Legislation"},
    "stance_timeline": {"CollectionPage"},
    "shifts": {"CollectionPage"},
}


def check(node, where: str, found: list) -> None:
    """Check one JSON-LD node and everything inside it; collect (type, node) pairs in `found`."""
    kind = node.get("@type")
    assert kind in TYPES, f"{where}: unknown or unused type {kind!r}"
    allowed, required = TYPES[kind]
    properties = set(node) - {"@context", "@type"}
    assert properties <= allowed, f"{where}: {kind} has {sorted(properties - allowed)}"
    assert required <= properties, f"{where}: {kind} lacks {sorted(required - properties)}"
    found.append((kind, node))
    for name, value in node.items():
        if name in ("datePublished", "dateCreated", "startDate", "endDate"):
            assert PARTIAL_DATE.match(value), f"{where}: {kind}.{name} = {value!r}"
        if name == "dateModified":
            datetime.datetime.fromisoformat(value)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                assert item.get("@type") in RANGES.get(name, set()), f"{where}: {kind}.{name} is {item.get('@type')}"
                check(item, f"{where} > {name}", found)


@pytest.fixture
def archive_for_jsonld(corpus):
    """The corpus, plus an article with a byline and a source (the corpus has no byline)."""
    article = ArticleFactory(
        title="Negotiators meet again in Doha",
        source=SourceFactory(name="Kabul Daily Wire"),
        byline="By Samira Noori",
        published_date=datetime.date(2020, 9, 12),
        body="Doha.\n\n“We expect a long week,” Zalmay Khalilzad told reporters.",
    )
    add_statement(article, Actor.objects.get(slug="zalmay-khalilzad"), "We expect a long week")
    return article


def test_json_ld_of_every_page_kind_follows_schema_org(client, archive_for_jsonld):
    group_labels = set(Actor.objects.filter(is_group_label=True).values_list("name", flat=True))
    assert group_labels  # the corpus has them: the check below means something
    pages = items = 0
    everything = []
    for kind, urls in page_urls().items():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            data = extruct.extract(response.content.decode(), base_url="http://testserver" + url, syntaxes=["json-ld"])
            blocks = data["json-ld"]
            if kind in ("search_help", "accounts"):
                assert blocks == [], url
                continue
            assert len(blocks) == 1, f"{url}: {len(blocks)} JSON-LD blocks"
            (block,) = blocks
            assert block["@context"] == "https://schema.org"
            assert block["@type"] in PAGE_TYPES[kind], f"{url}: {block['@type']}"
            found = []
            check(block, url, found)
            pages += 1
            items += len(found)
            everything += found
            if kind == "statement":
                statement = Statement.objects.get(pk=int(url.strip("/").split("/")[-1]))
                check_statement(block, statement)
            if kind == "article":
                check_article(block, Article.objects.get(slug=url.strip("/").split("/")[-1]))
    organisations = {node["name"] for kind, node in everything if kind in ORGANISATIONS}
    assert not organisations & group_labels, organisations & group_labels
    countries = set(Actor.objects.filter(kind="country").values_list("name", flat=True))
    assert not {node["name"] for kind, node in everything if kind == "Person"} & countries
    assert {node["name"] for kind, node in everything if kind == "Country"} <= countries
    assert pages >= 80 and items >= 300
    print(f"\nJSON-LD: {pages} pages, {items} schema.org items checked")


def check_statement(block: dict, statement: Statement) -> None:
    if statement.kind == Statement.Kind.INDIRECT:
        assert block["@type"] == "Claim"
        agent, article = block.get("author"), block["appearance"]
    else:
        assert block["@type"] == "Quotation"
        agent, article = block.get("creator"), block["isPartOf"]
        assert block["citation"].endswith(statement.place_url)
    assert article["url"].endswith(statement.article.get_absolute_url())
    assert block.get("dateCreated") == statement.date_iso
    speaker = statement.speaker
    if speaker is None or speaker.is_group_label:
        assert agent is None and block["creditText"] == statement.speaker_label
    else:
        assert agent["name"] == speaker.name and agent["url"].endswith(speaker.get_absolute_url())


def check_article(block: dict, article: Article) -> None:
    assert block.get("datePublished") == article.date_iso
    assert datetime.datetime.fromisoformat(block["dateModified"]) == article.updated_at
    if article.source_id:
        assert block["publisher"]["name"] == article.source.name
    if article.byline:
        assert block["author"] == {"@type": "Person", "name": article.byline.removeprefix("By ")}
    elif not article.source_id:
        assert "author" not in block and "publisher" not in block  # nothing is known: nothing is claimed


def test_partial_dates_stay_partial_in_json_ld(client, corpus):
    month = Article.objects.filter(date_precision="month").first()
    year = Article.objects.filter(date_precision="year").first()
    for article, expected in ((month, f"{month.published_date:%Y-%m}"), (year, f"{year.published_date:%Y}")):
        html = client.get(article.get_absolute_url()).content.decode()
        (block,) = extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
        assert block["datePublished"] == expected
