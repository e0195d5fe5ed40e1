"""Public representations: stable ids (slugs, statement ids), an API link and a site link for each object.

Internal fields (editor_notes, raw_text, content_hash, import_reference, needs_review) are never exposed.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from archive.api.schema import PARTIAL_DATE_FIELD
from archive.models import (
    Actor,
    ActorRole,
    Alias,
    Article,
    Source,
    Statement,
    StatementRelation,
    StatementStance,
    Topic,
)


class SiteUrlMixin(serializers.Serializer):
    site_url = serializers.SerializerMethodField(help_text="The object's page on the public site.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_site_url(self, obj):
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


@extend_schema_field(OpenApiTypes.URI)
class StatementsLinkField(serializers.Field):
    """The API's statement list filtered on this object (``?<filter_name>=<slug>``)."""

    def __init__(self, filter_name: str, **kwargs):
        self.filter_name = filter_name
        super().__init__(source="slug", read_only=True, **kwargs)

    def to_representation(self, slug):
        return reverse("api:statement-list", request=self.context.get("request")) + f"?{self.filter_name}={slug}"


@extend_schema_field({"type": "object", "additionalProperties": {"type": "string", "format": "uri"}})
class ExportLinksField(serializers.Field):
    """The object's statements exported in each format: {format: URL}."""

    def __init__(self, view_name: str, **kwargs):
        self.view_name = view_name
        super().__init__(source="slug", read_only=True, **kwargs)

    def to_representation(self, slug):
        request = self.context.get("request")
        return {fmt: reverse(self.view_name, args=[slug, fmt], request=request) for fmt in ("csv", "json", "ndjson")}


@extend_schema_field(PARTIAL_DATE_FIELD)
class PartialDateField(serializers.CharField):
    """A date as far as it is known ("2019", "2021-08", "2021-08-14"), or null: never a made-up first day."""

    def __init__(self, source: str | None = None, **kwargs):
        if source:
            kwargs["source"] = source
        super().__init__(read_only=True, allow_null=True, **kwargs)


class PrecisionField(serializers.ChoiceField):
    """How much of a date is known: day, month, year or unknown."""

    def __init__(self, **kwargs):
        super().__init__(choices=Article.DatePrecision.choices, read_only=True, **kwargs)


@extend_schema_field(
    {"type": "string", "anyOf": [{"format": "uri"}, {"maxLength": 0}], "description": "Empty when not known."}
)
class OptionalUrlField(serializers.CharField):
    """An http(s) address, or an empty string when none is known."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)


class SourceRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:source-detail", lookup_field="slug")

    class Meta:
        model = Source
        fields = ["slug", "name", "url"]


class TopicRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:topic-detail", lookup_field="slug")

    class Meta:
        model = Topic
        fields = ["slug", "name", "url"]


class ActorRefSerializer(SiteUrlMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:actor-detail", lookup_field="slug")

    class Meta:
        model = Actor
        fields = ["slug", "name", "kind", "url", "site_url"]


class ArticleRefSerializer(SiteUrlMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail", lookup_field="slug")
    source = SourceRefSerializer(allow_null=True)
    published_date = PartialDateField("date_iso")
    date_precision = PrecisionField()

    class Meta:
        model = Article
        fields = ["slug", "title", "published_date", "date_precision", "source", "url", "site_url"]


class SourceSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:source-detail", lookup_field="slug")
    article_count = serializers.IntegerField(read_only=True, help_text="Published articles from this source.")
    articles_url = serializers.SerializerMethodField()
    homepage_url = OptionalUrlField()

    class Meta:
        model = Source
        fields = ["slug", "name", "homepage_url", "article_count", "url", "articles_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_articles_url(self, obj):
        request = self.context.get("request")
        return reverse("api:article-list", request=request) + f"?source={obj.slug}"


class TopicSerializer(SiteUrlMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:topic-detail", lookup_field="slug")
    statement_count = serializers.IntegerField(read_only=True, help_text="Public statements on this topic.")
    article_count = serializers.IntegerField(read_only=True, help_text="Published articles on this topic.")
    statements_url = StatementsLinkField("topic")
    export_urls = ExportLinksField("api:topic-statements-export")

    class Meta:
        model = Topic
        fields = [
            "slug",
            "name",
            "description",
            "statement_count",
            "article_count",
            "url",
            "site_url",
            "statements_url",
            "export_urls",
        ]


class AliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alias
        fields = ["name", "normalized"]


class ActorRoleSerializer(serializers.ModelSerializer):
    organisation = serializers.SerializerMethodField(
        help_text="The organisation the position belongs to, when the archive has it as a public actor."
    )
    start_date = PartialDateField("start_iso", help_text="When the role began, as far as it is known; null when not.")
    start_precision = PrecisionField()
    end_date = PartialDateField("end_iso", help_text="When it ended, as far as it is known; null while held.")
    end_precision = PrecisionField()
    label = serializers.CharField(read_only=True, help_text="The title with its organisation, as the site shows it.")

    class Meta:
        model = ActorRole
        fields = [
            "title",
            "organisation",
            "label",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "source_note",
        ]

    @extend_schema_field(ActorRefSerializer(allow_null=True))
    def get_organisation(self, obj):
        organisation = obj.shown_organisation
        return ActorRefSerializer(organisation, context=self.context).data if organisation else None


class SpeakerRoleSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="The role as the site shows it beside the speaker's name.")
    dated = serializers.BooleanField(
        source="is_dated",
        help_text="True: from the speaker's dated roles, held on the statement's date. False: the role as the "
        "coverage gives it (the statement's date is unknown, or the speaker has no dated role).",
    )
    roles = ActorRoleSerializer(many=True, help_text="The dated roles held on the statement's date.")


class ActorSerializer(SiteUrlMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:actor-detail", lookup_field="slug")
    affiliation = ActorRefSerializer(allow_null=True, help_text="The actor this one speaks for, if any.")
    side = serializers.SerializerMethodField(help_text="The top of the affiliation chain.")
    statement_count = serializers.IntegerField(read_only=True, help_text="Public statements by this actor.")
    statements_url = StatementsLinkField("speaker")
    role = serializers.CharField(help_text="The role as the coverage gives it (free text, undated).")
    roles = ActorRoleSerializer(many=True, read_only=True, help_text="Positions held, with their dates.")

    class Meta:
        model = Actor
        fields = [
            "slug",
            "name",
            "kind",
            "role",
            "roles",
            "description",
            "affiliation",
            "side",
            "statement_count",
            "url",
            "site_url",
            "statements_url",
        ]

    @extend_schema_field(ActorRefSerializer)
    def get_side(self, obj):
        sides = self.context.get("sides")
        side = sides.get(obj.pk, obj) if sides is not None else obj.side
        return ActorRefSerializer(side, context=self.context).data


class ActorDetailSerializer(ActorSerializer):
    aliases = AliasSerializer(many=True, read_only=True)
    export_urls = ExportLinksField("api:actor-statements-export")

    class Meta(ActorSerializer.Meta):
        fields = [*ActorSerializer.Meta.fields, "aliases", "export_urls"]


class ArticleSerializer(SiteUrlMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail", lookup_field="slug")
    source = SourceRefSerializer(allow_null=True)
    credited_sources = SourceRefSerializer(many=True)
    topics = TopicRefSerializer(many=True)
    original_url = OptionalUrlField(source="url", help_text="Where the article was first published, if known.")
    published_date = PartialDateField("date_iso", help_text="The publication date as far as it is known.")
    date_precision = PrecisionField()
    date_display = serializers.CharField(help_text="The date as precisely as it is known.")
    statement_count = serializers.IntegerField(read_only=True, help_text="Public statements in this article.")
    statements_url = StatementsLinkField("article")

    class Meta:
        model = Article
        fields = [
            "slug",
            "title",
            "source",
            "credited_sources",
            "original_url",
            "published_date",
            "date_precision",
            "date_display",
            "dateline",
            "byline",
            "language",
            "original_language",
            "translation_note",
            "topics",
            "statement_count",
            "created_at",
            "updated_at",
            "url",
            "site_url",
            "statements_url",
        ]


class ArticleDetailSerializer(ArticleSerializer):
    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body"]


class StatementSerializer(SiteUrlMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:statement-detail")
    speaker = ActorRefSerializer(allow_null=True, help_text="Null for an anonymous speaker.")
    speaker_label = serializers.CharField(help_text="The speaker's name, or the text's description of them.")
    speaker_role = serializers.SerializerMethodField(
        help_text="The role the speaker held on the statement's date; null when none is known."
    )
    side = serializers.SerializerMethodField(help_text="The speaker's side; null for an anonymous speaker.")
    article = ArticleRefSerializer()
    topics = TopicRefSerializer(many=True)
    review = serializers.CharField(
        source="review_note",
        help_text="The review status in words: “Extracted automatically, not yet reviewed” or “Verified by an editor”.",
    )
    date = PartialDateField("date_iso", help_text="When the words were said, as far as it is known.")
    date_precision = PrecisionField(help_text="A date taken from the article keeps the article's precision.")

    class Meta:
        model = Statement
        fields = [
            "id",
            "text",
            "speaker",
            "speaker_description",
            "speaker_label",
            "speaker_role",
            "side",
            "kind",
            "medium",
            "said_to",
            "date",
            "date_precision",
            "topics",
            "review_status",
            "review",
            "article",
            "start",
            "end",
            "created_at",
            "updated_at",
            "url",
            "site_url",
        ]

    @extend_schema_field(SpeakerRoleSerializer(allow_null=True))
    def get_speaker_role(self, obj):
        role = obj.speaker_role
        return SpeakerRoleSerializer(role, context=self.context).data if role else None

    @extend_schema_field(ActorRefSerializer(allow_null=True))
    def get_side(self, obj):
        if not obj.speaker_id:
            return None
        sides = self.context.get("sides")
        side = sides.get(obj.speaker_id, obj.speaker) if sides is not None else obj.speaker.side
        return ActorRefSerializer(side, context=self.context).data


class StatementStanceRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:stance-detail")
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    provision = serializers.HyperlinkedRelatedField(view_name="api:provision-detail", read_only=True, allow_null=True)

    class Meta:
        model = StatementStance
        fields = ["id", "url", "stance", "topic", "provision"]


class StatementRelationRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:statement-relation-detail")
    from_statement = serializers.HyperlinkedRelatedField(view_name="api:statement-detail", read_only=True)
    to_statement = serializers.HyperlinkedRelatedField(view_name="api:statement-detail", read_only=True)

    class Meta:
        model = StatementRelation
        fields = ["id", "url", "kind", "from_statement", "to_statement"]


class StatementDetailSerializer(StatementSerializer):
    paragraph = serializers.CharField(help_text="The paragraph of the article body the statement stands in.")
    stances = serializers.SerializerMethodField(help_text="The stances an editor confirmed the statement takes.")
    relations = serializers.SerializerMethodField(
        help_text="Confirmed relations with other public statements: those it answers and those answering it."
    )

    class Meta(StatementSerializer.Meta):
        fields = [*StatementSerializer.Meta.fields, "paragraph", "stances", "relations"]

    @extend_schema_field(StatementStanceRefSerializer(many=True))
    def get_stances(self, obj):
        stances = StatementStance.objects.confirmed().filter(statement=obj).order_by("pk")
        return StatementStanceRefSerializer(stances, many=True, context=self.context).data

    @extend_schema_field(StatementRelationRefSerializer(many=True))
    def get_relations(self, obj):
        public = StatementRelation.objects.public()
        relations = (public.filter(from_statement=obj) | public.filter(to_statement=obj)).order_by("pk")
        return StatementRelationRefSerializer(relations, many=True, context=self.context).data
