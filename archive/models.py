"""The archive's schema: sources, articles, actors with their aliases and dated roles, statements, topics, search synonyms."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Q
from django.dispatch import Signal
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from archive.roles import DATED_ROLES, role_on
from archive.text import clean_text, content_hash, normalize_name, normalize_term, paragraph_bounds, strip_nul


def unique_slug(instance, value: str, max_length: int = 200) -> str:
    """A slug for `value` not yet used by another row of the instance's model."""
    base = (slugify(value) or "item")[: max_length - 12].strip("-") or "item"
    model = type(instance)
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exclude(pk=instance.pk).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


SLUG_ATTEMPTS = 20


def save_with_unique_slug(instance, value: str, save, *args, **kwargs) -> None:
    """Save a row whose slug is made from `value` when blank; a slug taken meanwhile by a concurrent save
    (the unique constraint refuses the insert) is made again and the save retried."""
    if instance.slug:
        save(*args, **kwargs)
        return
    for attempt in range(SLUG_ATTEMPTS):
        instance.slug = unique_slug(instance, value)
        try:
            # A savepoint: the refused insert must not break the caller's transaction.
            with transaction.atomic():
                save(*args, **kwargs)
            return
        except IntegrityError:
            taken = type(instance)._default_manager.filter(slug=instance.slug).exclude(pk=instance.pk).exists()
            instance.slug = ""
            if not taken or attempt == SLUG_ATTEMPTS - 1:
                raise  # another constraint refused the row, or the slugs keep colliding


def partial_iso(value, precision: str) -> str | None:
    """A date as ISO 8601 only as far as it is known: "2019", "2021-08" or "2021-08-14" (None when unknown)."""
    if value is None or precision == "unknown":
        return None
    if precision == "year":
        return f"{value:%Y}"
    if precision == "month":
        return f"{value:%Y-%m}"
    return value.isoformat()


# Sent by IndexedQuerySet after bulk_create() and update(), which send no save signals: the search
# index's signal processor (archive.search.signals) re-indexes those rows as it does after save().
rows_changed = Signal()  # sender: the model; pks: the rows; fields: the updated fields (None: all)


class IndexedQuerySet(models.QuerySet):
    """bulk_create() and update() reach the search index the way save() does."""

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        pks = [obj.pk for obj in created if obj.pk is not None]
        if pks:
            rows_changed.send(sender=self.model, pks=pks, fields=None)
        return created

    def update(self, **kwargs):
        pks = list(self.values_list("pk", flat=True))
        count = super().update(**kwargs)
        if pks:
            rows_changed.send(sender=self.model, pks=pks, fields=frozenset(kwargs))
        return count


class SlugManager(models.Manager):
    """Natural keys by slug, so fixtures and dumps do not depend on primary keys."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SlugNaturalKey:
    def natural_key(self):
        return (self.slug,)


class TimeStamped(models.Model):
    """Created and updated times; every text field is stored normalised (``archive.text.clean_text``)."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Fields kept exactly as received (only NUL, which databases refuse, is removed).
    verbatim_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.clean_text_fields()
        super().save(*args, **kwargs)

    def clean_text_fields(self):
        """Normalise line endings, control and zero-width characters and Unicode form of every text field.

        Called by save(), so every way in (admin, import, API, shell, fixtures loaded through save)
        stores the same form of a text.
        """
        for f in self._meta.concrete_fields:
            if not isinstance(f, models.CharField | models.TextField):
                continue
            value = getattr(self, f.attname)
            if isinstance(value, str) and value:
                cleaned = strip_nul(value) if f.name in self.verbatim_fields else clean_text(value)
                if cleaned != value:
                    setattr(self, f.attname, cleaned)


class Source(SlugNaturalKey, TimeStamped):
    """A publication or news agency."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    homepage_url = models.URLField(blank=True)
    history = HistoricalRecords()

    objects = SlugManager.from_queryset(IndexedQuerySet)()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        save_with_unique_slug(self, self.name, super().save, *args, **kwargs)


class Topic(SlugNaturalKey, TimeStamped):
    """An issue of the negotiation, from a controlled vocabulary."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True, blank=True)
    description = models.TextField(blank=True)
    keywords = models.TextField(
        blank=True,
        help_text="One phrase per line; an article or statement that uses one is suggested this topic.",
    )
    history = HistoricalRecords()

    objects = SlugManager.from_queryset(IndexedQuerySet)()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        save_with_unique_slug(self, self.name, super().save, *args, **kwargs)

    def get_absolute_url(self):
        return reverse("archive:topic_detail", args=[self.slug])

    @property
    def keyword_list(self) -> list[str]:
        return [line.strip() for line in self.keywords.splitlines() if line.strip()]


# --- Choices (module level, so that the models' Meta constraints can name their values) -----------


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    UNKNOWN = "unknown", "Unknown"


class ActorKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"
    GOVERNMENT = "government", "Government"
    COUNTRY = "country", "Country"


class StatementKind(models.TextChoices):
    DIRECT = "direct", "Direct quote"
    PARTIAL = "partial", "Partial quote"
    INDIRECT = "indirect", "Reported (indirect)"


class ReviewStatus(models.TextChoices):
    EXTRACTED = "extracted", "Extracted (awaiting review)"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"


# --- What the public sees ----------------------------------------------------------------------------
# One rule each for a public article, statement and actor. Every page, selector, API view, export, feed,
# the sitemap and search use these (through the querysets' public() or, across a relation, the Q
# builders with a prefix such as "statements__"); the Python checks below state the same rule.


def public_article_q(prefix: str = "") -> Q:
    """A public article: a published one."""
    return Q(**{f"{prefix}status": Article.Status.PUBLISHED})


def public_statement_q(prefix: str = "") -> Q:
    """A public statement: in a public article, and not rejected by an editor."""
    return public_article_q(f"{prefix}article__") & ~Q(**{f"{prefix}review_status": Statement.ReviewStatus.REJECTED})


def public_actor_q(prefix: str = "") -> Q:
    """A public actor: reviewed by an editor, or the speaker of a public statement (an actor created by an
    import and still under review stays hidden until then)."""
    spoken = Statement.objects.filter(public_statement_q(), speaker__isnull=False).values("speaker_id")
    return Q(**{f"{prefix}needs_review": False}) | Q(**{f"{prefix}pk__in": spoken})


class ArticleQuerySet(IndexedQuerySet):
    def public(self):
        return self.filter(public_article_q())

    published = public  # the articles a reader sees are the published ones

    def for_list(self):
        return self.select_related("source").prefetch_related("topics")


class Article(SlugNaturalKey, TimeStamped):
    """One news article: its cleaned body for the site and index, and the untouched imported text."""

    _loaded_date = (None, None)

    Status = ArticleStatus

    DatePrecision = DatePrecision

    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text="The publication the article was taken from.",
    )
    credited_sources = models.ManyToManyField(
        Source,
        blank=True,
        related_name="credited_articles",
        help_text="Agencies or outlets the text credits (e.g. AFP, Al Jazeera interviews).",
    )
    url = models.URLField(max_length=1000, blank=True, help_text="Original address, when known.")
    published_date = models.DateField(
        null=True,
        blank=True,
        help_text="Publication date as the text supports it; see its precision.",
    )
    date_precision = models.CharField(
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
        help_text="How much of the date is known: a month-precise date is stored as its first day.",
    )
    dateline = models.CharField(
        max_length=200, blank=True, help_text='Place the story was filed from, e.g. "Doha, Qatar".'
    )
    byline = models.CharField(max_length=300, blank=True)
    body = models.TextField(help_text="The cleaned article text that the site shows and search reads.")
    raw_text = models.TextField(help_text="The text exactly as imported; never edited.")
    content_hash = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        help_text="SHA-256 of the normalised body: the same article is never stored twice.",
    )
    import_reference = models.CharField(
        max_length=500, blank=True, db_index=True, help_text="Where the text came from, e.g. the imported file's name."
    )
    language = models.CharField(max_length=10, default="en")
    original_language = models.CharField(
        max_length=60,
        blank=True,
        help_text="The language the text was written in when the archived text is a translation, e.g. “French”; "
        "blank for a text in its own language.",
    )
    translation_note = models.TextField(
        blank=True,
        help_text="For a translated or machine-reworded text: how it was translated and what in the text shows "
        "it. Shown to readers with the article.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    editor_notes = models.TextField(blank=True, help_text="Internal notes; never shown to the public.")
    extraction_stopped = models.CharField(
        max_length=500,
        blank=True,
        help_text="Why statement extraction stopped on this article (a text holding far more statements than a "
        "news article); empty when extraction ran to the end. An editor should check the text.",
    )
    possible_duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="possible_duplicates",
        help_text="A stored article this one repeats almost word for word (found at import: a repost, other "
        "chrome, a small correction). Keep both, replace the older one, or skip this one.",
    )
    duplicate_similarity = models.FloatField(
        null=True,
        blank=True,
        editable=False,
        help_text="Estimated share of word sequences this article has in common with its possible duplicate (0–1).",
    )
    text_signature = models.BinaryField(
        null=True,
        blank=True,
        editable=False,
        help_text="MinHash signature of the body's word sequences, by which near-duplicates are found.",
    )
    history = HistoricalRecords(m2m_fields=[topics], excluded_fields=["text_signature"])

    objects = SlugManager.from_queryset(ArticleQuerySet)()

    class Meta:
        ordering = ["-published_date", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="article_url_unique_when_given"),
            models.CheckConstraint(
                condition=Q(possible_duplicate_of__isnull=True) | ~Q(possible_duplicate_of=F("pk")),
                name="article_not_duplicate_of_itself",
            ),
            models.CheckConstraint(
                condition=Q(published_date__isnull=True, date_precision=DatePrecision.UNKNOWN)
                | Q(
                    published_date__isnull=False,
                    date_precision__in=[p for p in DatePrecision.values if p != DatePrecision.UNKNOWN],
                ),
                name="article_date_precision_matches_date",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="article_body_not_empty"),
            models.CheckConstraint(condition=Q(status__in=ArticleStatus.values), name="article_status_valid"),
        ]
        indexes = [models.Index(fields=["status", "published_date"], name="article_status_date_idx")]

    def __str__(self):
        return self.title

    verbatim_fields = ("raw_text",)

    def save(self, *args, **kwargs):
        self.clean_text_fields()
        digest = content_hash(self.body)
        if digest != self.content_hash or not self.text_signature:
            from archive.ingest.duplicates import signature, to_bytes

            self.text_signature = to_bytes(signature(self.body))
            self._signature_changed = True  # its LSH bands are rewritten after the save
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "text_signature", "content_hash"}
        self.content_hash = digest
        date_changed = self.pk is not None and self._loaded_date != (self.published_date, self.date_precision)
        save_with_unique_slug(self, self.title, super().save, *args, **kwargs)
        self._loaded_date = (self.published_date, self.date_precision)
        if date_changed:
            # Statements dated by their article follow a corrected date, whoever corrects it (the admin, a
            # correction import, a revert): the rule must hold on every write path.
            Statement.objects.filter(article=self).follow_article_date(self)

    def get_absolute_url(self):
        return reverse("archive:article_detail", args=[self.slug])

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        # The date as loaded, so that save() knows whether it was corrected.
        article._loaded_date = (article.__dict__.get("published_date"), article.__dict__.get("date_precision"))
        return article

    @property
    def is_public(self) -> bool:
        """public_article_q() for an article in memory."""
        return self.status == self.Status.PUBLISHED

    @property
    def is_translation(self) -> bool:
        return bool(self.original_language or self.translation_note)

    @property
    def translation_label(self) -> str:
        """ "Machine-translated from French", or "" for a text in its own language."""
        if self.original_language:
            return f"Machine-translated from {self.original_language}"
        return "Machine-translated or reworded; the original language is not known" if self.translation_note else ""

    @property
    def date_display(self) -> str:
        """The date as precisely as it is known."""
        if self.published_date is None:
            return "Date unknown"
        if self.date_precision == self.DatePrecision.YEAR:
            return self.published_date.strftime("%Y")
        if self.date_precision == self.DatePrecision.MONTH:
            return self.published_date.strftime("%B %Y")
        return f"{self.published_date:%-d %B %Y}"

    @property
    def date_iso(self) -> str | None:
        """The publication date as partial ISO 8601 ("2019", "2021-08", "2021-08-14"), None when unknown."""
        return partial_iso(self.published_date, self.date_precision)


class ArticleBand(models.Model):
    """One band of an article's MinHash signature: articles sharing a band's bucket are likely alike."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="signature_bands")
    band = models.PositiveSmallIntegerField(help_text="Which slice of the signature (0–19).")
    bucket = models.BigIntegerField(help_text="Hash of the band's number and the signature's values in it.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "band"], name="article_band_unique")]
        indexes = [models.Index(fields=["bucket"], name="article_band_bucket_idx")]

    def __str__(self):
        return f"{self.article_id}/{self.band}"


class ActorQuerySet(IndexedQuerySet):
    def public(self):
        """Actors the public site shows: reviewed ones, and unreviewed ones with a public statement."""
        return self.filter(public_actor_q())

    def with_statement_counts(self):
        """`statement_count`: the actor's public statements."""
        return self.annotate(
            statement_count=Count("statements", filter=public_statement_q("statements__"), distinct=True)
        )


class Actor(SlugNaturalKey, TimeStamped):
    """A person, organisation, government or country that speaks or is spoken of."""

    Kind = ActorKind

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    affiliation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="The side the actor speaks for (e.g. the Taliban, the US government); blank for a side itself.",
    )
    side_unknown = models.BooleanField(
        default=False,
        help_text="Tick for a person whose side the coverage does not tell; a person needs a side or this.",
    )
    role = models.CharField(max_length=300, blank=True, help_text="Role as given in the coverage.")
    description = models.TextField(blank=True)
    needs_review = models.BooleanField(
        default=False, help_text="Created automatically by an import; an editor should check it."
    )
    is_group_label = models.BooleanField(
        "group label",
        default=False,
        help_text="A label that gathers independent voices (e.g. “Analysts and experts”), not a real "
        "organisation: never presented as an organisation or as its members' employer.",
    )
    history = HistoricalRecords()

    objects = SlugManager.from_queryset(ActorQuerySet)()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ActorKind.values), name="actor_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        save_with_unique_slug(self, self.name, super().save, *args, **kwargs)

    def get_absolute_url(self):
        return reverse("archive:actor_detail", args=[self.slug])

    def clean(self):
        if self.kind == self.Kind.PERSON and self.affiliation_id is None and not self.side_unknown:
            raise ValidationError(
                {
                    "affiliation": "Choose the side this person speaks for, or tick “side unknown” if the coverage "
                    "does not tell."
                }
            )
        if self.side_unknown and self.affiliation_id is not None:
            raise ValidationError({"side_unknown": "This person has a side: untick “side unknown”, or clear the side."})
        ancestor, seen = self.affiliation, set()
        while ancestor is not None:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError({"affiliation": "An actor cannot be affiliated with itself."})
            seen.add(ancestor.pk)
            ancestor = ancestor.affiliation

    @property
    def side(self) -> "Actor":
        """The top of the affiliation chain: the side this actor belongs to."""
        actor, seen = self, {self.pk}
        while actor.affiliation_id and actor.affiliation_id not in seen:
            seen.add(actor.affiliation_id)
            actor = actor.affiliation
        return actor


def _date_matches_precision_q(date: str, precision: str) -> Q:
    """A date and its precision agree: none and "unknown", or a date stored as the first day of its month or year."""
    known = [p for p in DatePrecision.values if p != DatePrecision.UNKNOWN]
    return Q(**{f"{date}__isnull": True, precision: DatePrecision.UNKNOWN}) | (
        Q(**{f"{date}__isnull": False, f"{precision}__in": known})
        & (
            Q(**{precision: DatePrecision.DAY})
            | Q(**{precision: DatePrecision.MONTH, f"{date}__day": 1})
            | Q(**{precision: DatePrecision.YEAR, f"{date}__day": 1, f"{date}__month": 1})
        )
    )


class ActorRoleQuerySet(IndexedQuerySet):
    def for_pages(self):
        return self.select_related("organisation")


class ActorRole(TimeStamped):
    """A position an actor held over a period (e.g. Secretary of State from April 2018 to January 2021):
    a statement's speaker is shown with the role they held on the statement's date."""

    DatePrecision = DatePrecision

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(
        max_length=300, help_text="The position, e.g. “Secretary of State” or “Spokesman of the political office”."
    )
    organisation = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="held_roles",
        help_text="The organisation or government the position belongs to, when the archive has it as an actor; "
        "otherwise leave blank and name it in the title.",
    )
    start_date = models.DateField(
        null=True,
        blank=True,
        help_text="When the role began; a month- or year-precise date is stored as its first day. "
        "Blank when not known.",
    )
    start_precision = models.CharField(
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
        help_text="How much of the start date is known (“Unknown” when it is blank).",
    )
    end_date = models.DateField(
        null=True,
        blank=True,
        help_text="When the role ended; blank for a role still held (or whose end is not known). A month- or "
        "year-precise date is stored as its first day.",
    )
    end_precision = models.CharField(
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
        help_text="How much of the end date is known (“Unknown” when it is blank).",
    )
    source_note = models.CharField(
        max_length=500,
        blank=True,
        help_text="Where the role and its dates come from, e.g. “US State Department biography”.",
    )
    history = HistoricalRecords()

    objects = ActorRoleQuerySet.as_manager()

    class Meta:
        ordering = ["actor", models.F("start_date").asc(nulls_first=True), "pk"]
        verbose_name = "dated role"
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="actor_role_title_not_empty"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="actor_role_dates_ordered",
            ),
            models.CheckConstraint(
                condition=_date_matches_precision_q("start_date", "start_precision"),
                name="actor_role_start_matches_precision",
            ),
            models.CheckConstraint(
                condition=_date_matches_precision_q("end_date", "end_precision"),
                name="actor_role_end_matches_precision",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | ~Q(organisation=F("actor")),
                name="actor_role_not_own_organisation",
            ),
        ]
        indexes = [models.Index(fields=["actor", "start_date"], name="actor_role_actor_start_idx")]

    def __str__(self):
        return f"{self.actor}: {self.label}" if self.actor_id else self.label

    @property
    def label(self) -> str:
        """The title with its organisation, e.g. “Secretary of State, State Department”."""
        return f"{self.title}, {self.organisation_name}" if self.organisation_name else self.title

    @property
    def shown_organisation(self) -> "Actor | None":
        """The organisation as the public may see it: a reviewed actor only (one under review is never named)."""
        organisation = self.organisation if self.organisation_id else None
        return None if organisation is None or organisation.needs_review else organisation

    @property
    def organisation_name(self) -> str:
        """The shown organisation's name for the label, unless the title names it already."""
        organisation = self.shown_organisation
        if organisation is None or organisation.name.casefold() in self.title.casefold():
            return ""
        return organisation.name

    @property
    def start_display(self) -> str:
        return partial_date_display(self.start_date, self.start_precision)

    @property
    def end_display(self) -> str:
        return partial_date_display(self.end_date, self.end_precision)

    @property
    def period_display(self) -> str:
        """ "September 2018 – October 2021", "from May 2020", "until 15 August 2021"."""
        start, end = self.start_display, self.end_display
        if start and end:
            return f"{start} – {end}"
        if start:
            return f"from {start}"
        if end:
            return f"until {end}"
        return "dates not known"

    @property
    def start_iso(self) -> str | None:
        return partial_iso(self.start_date, self.start_precision)

    @property
    def end_iso(self) -> str | None:
        return partial_iso(self.end_date, self.end_precision)

    @property
    def is_current(self) -> bool:
        return self.end_date is None

    def clean(self):
        errors = {}
        for date, precision in (("start_date", "start_precision"), ("end_date", "end_precision")):
            value, known = getattr(self, date), getattr(self, precision)
            if value is None and known != DatePrecision.UNKNOWN:
                errors[precision] = "A blank date has the precision “Unknown”."
            elif value is not None and known == DatePrecision.UNKNOWN:
                errors[precision] = "Say how much of the date is known: day, month or year."
            elif value is not None and known in (DatePrecision.MONTH, DatePrecision.YEAR) and value.day != 1:
                errors[date] = "A month- or year-precise date is stored as its first day."
            elif value is not None and known == DatePrecision.YEAR and value.month != 1:
                errors[date] = "A year-precise date is stored as 1 January."
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "A role cannot end before it starts."
        if self.organisation_id is not None and self.organisation_id == self.actor_id:
            errors["organisation"] = "An actor is not their own organisation."
        if errors:
            raise ValidationError(errors)


def partial_date_display(value, precision: str) -> str:
    """A date as precisely as it is known ("" when unknown)."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%B %Y}"
    return f"{value:%-d %B %Y}"


class AliasQuerySet(IndexedQuerySet):
    def resolve(self, name: str):
        """The Actor this name refers to, or None."""
        alias = self.select_related("actor").filter(normalized=normalize_name(name)).first()
        return alias.actor if alias else None


class Alias(TimeStamped):
    """Another name of an actor; its normalised form resolves to exactly one actor."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    normalized = models.CharField(
        max_length=200,
        unique=True,
        editable=False,
        help_text="Case, accents, titles and spelling variants folded; unique across all actors.",
    )
    possible_duplicate = models.BooleanField(
        default=False,
        help_text='Added by an import: a spelling of a name close to this actor\'s ("Barader" for "Baradar"), '
        "linked here instead of creating a second actor. Untick it once checked, or delete the alias and move "
        "its statements if it names someone else.",
    )
    history = HistoricalRecords()

    objects = AliasQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "aliases"
        constraints = [models.CheckConstraint(condition=~Q(normalized=""), name="alias_normalized_not_empty")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized = normalize_name(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        normalized = normalize_name(self.name)
        if not normalized:
            raise ValidationError({"name": "An alias needs at least one letter or digit."})
        clash = Alias.objects.filter(normalized=normalized).exclude(pk=self.pk).select_related("actor").first()
        if clash:
            raise ValidationError({"name": f'"{self.name}" already names {clash.actor} (as "{clash.name}").'})


class StatementQuerySet(IndexedQuerySet):
    def public(self):
        return self.filter(public_statement_q())

    def follow_article_date(self, article) -> int:
        """Give the statements dated by their article the article's current date; re-index them."""
        from archive import indexing  # the index layer imports the models, not the other way round

        following = self.filter(article=article, date_from_article=True)
        if article.published_date is None:
            following = following.filter(date__isnull=False)
        else:
            following = following.exclude(date=article.published_date)  # an undated one included
        pks = list(following.order_by().values_list("pk", flat=True))
        if not pks:
            return 0
        # update() re-indexes the rows it changes (IndexedQuerySet); the block makes it one index update.
        with indexing.deferred_indexing():
            for start in range(0, len(pks), 1000):
                Statement.objects.filter(pk__in=pks[start : start + 1000]).update(date=article.published_date)
        return len(pks)

    def by_actor(self, actor):
        return self.filter(speaker=actor)

    def with_speaker_roles(self):
        """The speakers' dated roles in one query for the whole list (``Statement.speaker_role``)."""
        # Into a plain list (``to_attr``): Django then builds no queryset per speaker.
        return self.prefetch_related(
            models.Prefetch(
                "speaker__roles", queryset=ActorRole.objects.select_related("organisation"), to_attr=DATED_ROLES
            )
        )

    def for_list(self):
        return (
            self.select_related("speaker", "speaker__affiliation", "article", "article__source")
            .prefetch_related("topics")
            .with_speaker_roles()
        )

    def get_by_natural_key(self, article_slug, start, end):
        return self.get(article__slug=article_slug, start=start, end=end)


class Statement(TimeStamped):
    """Words attributed to a speaker, traced to the exact span of an article's body."""

    Kind = StatementKind

    class Medium(models.TextChoices):
        UNSPECIFIED = "", "Unspecified"
        TWEET = "tweet", "Tweet"
        INTERVIEW = "interview", "Interview"
        STATEMENT = "statement", "Written statement"
        BRIEFING = "briefing", "Briefing"
        SPEECH = "speech", "Speech"
        REPORT = "report", "Report"

    ReviewStatus = ReviewStatus

    text = models.TextField(help_text="The quoted or reported words, exactly as in the article body.")
    speaker = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
        help_text="Blank for an anonymous speaker; then describe them below.",
    )
    speaker_description = models.CharField(
        max_length=300,
        blank=True,
        help_text='How the text describes the speaker, e.g. "a person familiar with the mediation work".',
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="statements")
    start = models.PositiveIntegerField(help_text="Offset of the first character of the quote in the article body.")
    end = models.PositiveIntegerField(help_text="Offset just past the last character of the quote.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DIRECT)
    medium = models.CharField(max_length=20, choices=Medium.choices, blank=True, default=Medium.UNSPECIFIED)
    said_to = models.CharField(max_length=200, blank=True, help_text="Audience or outlet, e.g. Al Jazeera, reporters.")
    date = models.DateField(
        null=True, blank=True, help_text="When it was said; the article's date while “Dated by its article” is ticked."
    )
    date_from_article = models.BooleanField(
        "dated by its article",
        default=True,
        help_text="The statement carries its article's date, at the article's precision, and follows "
        "corrections of it. Untick to give the statement its own date (a day).",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="statements")
    review_status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.EXTRACTED, db_index=True
    )
    history = HistoricalRecords(m2m_fields=[topics])

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="statement_span_not_empty"),
            models.CheckConstraint(
                condition=Q(speaker__isnull=False) | ~Q(speaker_description=""),
                name="statement_has_speaker_or_description",
            ),
            models.CheckConstraint(condition=Q(kind__in=StatementKind.values), name="statement_kind_valid"),
            models.CheckConstraint(
                condition=Q(review_status__in=ReviewStatus.values), name="statement_review_status_valid"
            ),
            models.UniqueConstraint(fields=["article", "start", "end"], name="statement_span_unique_per_article"),
        ]
        indexes = [
            models.Index(fields=["speaker", "date"], name="statement_speaker_date_idx"),
            # The review queue: statements awaiting review, article by article, top to bottom, read
            # in order from the index (no sort of every waiting statement for a page far down the queue).
            models.Index(fields=["review_status", "article", "start", "end"], name="statement_review_queue_idx"),
        ]

    def __str__(self):
        words = self.text if len(self.text) <= 80 else self.text[:77] + "…"
        return f"{self.speaker_label}: “{words}”" if self.is_quotation else f"{self.speaker_label} (reported): {words}"

    def save(self, *args, **kwargs):
        self.clean_text_fields()
        # A span that does not match its article is never stored, whoever saves it.
        errors = self.span_errors()
        if errors:
            raise ValidationError(errors)
        if self._state.adding and self.date_from_article and self.date not in (None, self.article.published_date):
            # Created with a date of its own (an import that found one, a script): it keeps it.
            self.date_from_article = False
        if self.date_from_article:
            self.date = self.article.published_date
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("archive:statement_detail", args=[self.pk])

    def natural_key(self):
        return (self.article.slug, self.start, self.end)

    natural_key.dependencies = ["archive.article"]

    @property
    def anchor(self) -> str:
        """The id of the statement's mark in its article page."""
        return f"s-{self.pk}"

    @property
    def place_url(self) -> str:
        """The exact place of the statement in its article page."""
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    @property
    def is_public(self) -> bool:
        """public_statement_q() for a statement in memory."""
        return self.article.is_public and self.review_status != self.ReviewStatus.REJECTED

    @property
    def date_display(self) -> str:
        """The date as precisely as it is known: the article's date keeps the article's precision."""
        if self.date_from_article:
            return self.article.date_display
        if self.date is None:
            return "Date unknown"
        return f"{self.date:%-d %B %Y}"

    # What each review status tells a reader, wherever a statement is shown.
    REVIEW_NOTES = {
        "extracted": "Extracted automatically, not yet reviewed",
        "verified": "Verified by an editor",
        "rejected": "Rejected by an editor",
    }

    @property
    def review_note(self) -> str:
        return self.REVIEW_NOTES.get(self.review_status, "")

    @property
    def is_verified(self) -> bool:
        return self.review_status == self.ReviewStatus.VERIFIED

    @property
    def is_quotation(self) -> bool:
        """Direct or partial words of the speaker: shown in quotation marks. Reported speech never is."""
        return self.kind != self.Kind.INDIRECT

    @property
    def quoted_text(self) -> str:
        """The words as a reader should see them: in quotation marks only when they are the speaker's own."""
        return f"“{self.text}”" if self.is_quotation else self.text

    @property
    def date_precision(self) -> str:
        """How much of `date` is known: a statement dated by its article has the article's precision."""
        if self.date_from_article:
            return self.article.date_precision
        if self.date is None:
            return Article.DatePrecision.UNKNOWN.value
        return Article.DatePrecision.DAY.value

    @property
    def date_iso(self) -> str | None:
        """When it was said, as partial ISO 8601 as far as it is known; None when unknown."""
        return partial_iso(self.date, self.date_precision)

    @cached_property
    def speaker_role(self):
        """The role the speaker held on the statement's date (``archive.roles.role_on``): a SpeakerRole,
        false when no role is known."""
        if not self.speaker_id:
            return role_on(None, None)
        return role_on(self.speaker, self.date, self.date_precision)

    @property
    def speaker_label(self) -> str:
        return self.speaker.name if self.speaker_id else (self.speaker_description or "Unknown speaker")

    def span_errors(self) -> dict:
        """Validation errors of the span against the article body (empty when it matches)."""
        body = self.article.body
        words = self.text if len(self.text) <= 120 else self.text[:119] + "…"
        if self.end > len(body) or self.start >= self.end:
            where = (
                "is not in the article’s text" if self.text not in body else "stands elsewhere in the article’s text"
            )
            return {"text": f"“{words}” {where}: its place (start and end) lies past the end of the text."}
        if body[self.start : self.end] != self.text:
            found = body[self.start : self.end]
            found = found if len(found) <= 120 else found[:119] + "…"
            hint = "" if self.text in body else " Those words are not in the article’s text at all."
            return {"text": f"The article’s text reads “{found}” where this statement has “{words}”.{hint}"}
        return {}

    def clean(self):
        if not self.speaker_id and not self.speaker_description.strip():
            raise ValidationError({"speaker_description": "Name a speaker or describe the anonymous one."})
        if self.article_id is not None and self.start is not None and self.end is not None:
            errors = self.span_errors()
            if errors:
                raise ValidationError(errors)

    @property
    def paragraph(self) -> str:
        """The paragraph of the article the statement stands in."""
        start, end = paragraph_bounds(self.article.body, self.start, self.end)
        return self.article.body[start:end]


class SearchSynonymQuerySet(models.QuerySet):
    def expansions(self, terms) -> dict[str, list[str]]:
        """{term: the terms editors declared to mean the same} for the given normalised terms."""
        terms = [t for t in dict.fromkeys(terms) if t]
        found: dict[str, list[str]] = {}
        if not terms:
            return found
        for term, synonym in self.filter(Q(term__in=terms) | Q(synonym__in=terms)).values_list("term", "synonym"):
            if term in terms:
                found.setdefault(term, []).append(synonym)
            if synonym in terms:
                found.setdefault(synonym, []).append(term)
        return {key: sorted(set(values)) for key, values in found.items()}


class SearchSynonym(TimeStamped):
    """Two words or phrases that mean the same in this coverage: a search for either also finds the other."""

    term = models.CharField(
        max_length=100, help_text="A word or phrase readers search for, e.g. “truce”. Stored in lower case."
    )
    synonym = models.CharField(
        max_length=100,
        help_text="What it means in the archive's words, e.g. “ceasefire”. Works both ways: a search for "
        "either also searches the other, and the results page says so.",
    )
    history = HistoricalRecords()

    objects = SearchSynonymQuerySet.as_manager()

    class Meta:
        ordering = ["term", "synonym"]
        verbose_name = "search synonym"
        constraints = [
            models.UniqueConstraint(fields=["term", "synonym"], name="search_synonym_unique_pair"),
            models.CheckConstraint(condition=~Q(term=models.F("synonym")), name="search_synonym_not_itself"),
            models.CheckConstraint(condition=~Q(term="") & ~Q(synonym=""), name="search_synonym_not_empty"),
        ]

    def __str__(self):
        return f"{self.term} ⇄ {self.synonym}"

    def save(self, *args, **kwargs):
        self.term, self.synonym = normalize_term(self.term), normalize_term(self.synonym)
        super().save(*args, **kwargs)

    def clean(self):
        term, synonym = normalize_term(self.term), normalize_term(self.synonym)
        errors = {}
        if not term:
            errors["term"] = "A synonym needs at least one letter or digit."
        if not synonym:
            errors["synonym"] = "A synonym needs at least one letter or digit."
        if errors:
            raise ValidationError(errors)
        if term == synonym:
            raise ValidationError({"synonym": "A word is not a synonym of itself."})
        pair = Q(term=term, synonym=synonym) | Q(term=synonym, synonym=term)
        if SearchSynonym.objects.filter(pair).exclude(pk=self.pk).exists():
            raise ValidationError({"synonym": f"“{term}” and “{synonym}” are already synonyms."})


class IndexOutbox(models.Model):
    """A search index update owed for a committed change: written in the change's own transaction and
    deleted once the index has it, so an update that failed (or a process killed after the commit) is
    replayed later instead of being lost (``archive.indexing``)."""

    identifier = models.CharField(max_length=255, help_text="The document, as app_label.model.pk.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "pending index update"

    def __str__(self):
        return self.identifier


# Agreements and their provisions live in their own module; importing it here registers them with the app.
from archive.agreements.models import (  # noqa: E402, F401
    Agreement,
    Deadline,
    ImplementationAssessment,
    Provision,
    StatementProvisionLink,
)

# Stances and relations between statements, likewise.
from archive.positions.models import StatementRelation, StatementStance  # noqa: E402, F401
