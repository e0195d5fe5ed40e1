"""Agreements, provisions, deadlines, implementation assessments and statement ↔ provision links.

Imported by archive/models.py, so the models belong to the archive app.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from archive.models import Actor, Article, SlugManager, SlugNaturalKey, Statement, TimeStamped, Topic, unique_slug

DATE_PRECISIONS = [("day", "Day"), ("month", "Month"), ("year", "Year")]


def date_display(date, precision: str) -> str:
    """A date as precisely as it is known."""
    if precision == "year":
        return date.strftime("%Y")
    if precision == "month":
        return date.strftime("%B %Y")
    return f"{date:%-d %B %Y}"


class Agreement(SlugNaturalKey, TimeStamped):
    """A signed document of the talks, e.g. the US–Taliban agreement of 29 February 2020."""

    title = models.CharField(max_length=300, unique=True, help_text="The document's own title.")
    short_title = models.CharField(max_length=120, help_text='How pages name it, e.g. "US–Taliban agreement".')
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    parties = models.ManyToManyField(
        Actor, related_name="agreements", help_text="The sides that signed or issued it (actors that are sides)."
    )
    signed_date = models.DateField(help_text="The day it was signed or issued.")
    signed_place = models.CharField(max_length=200, blank=True, help_text='Where, e.g. "Doha, Qatar".')
    url = models.URLField(max_length=1000, blank=True, help_text="Where the original text is published.")
    summary = models.TextField(help_text="What the document does, in our own words.")
    history = HistoricalRecords(m2m_fields=[parties])

    objects = SlugManager()

    class Meta:
        ordering = ["signed_date", "title"]

    def __str__(self):
        return self.short_title or self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.short_title or self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("archive:agreement_detail", args=[self.slug])

    def clean(self):
        if self.pk and self.signed_date:
            early = Deadline.objects.filter(provision__agreement=self, date__lt=self.signed_date).order_by("date")
            first = early.select_related("provision").first()
            if first is not None:
                raise ValidationError(
                    {
                        "signed_date": f"Provision {first.provision.number} has a deadline before it: {first.date_display}."
                    }
                )


def provision_key(provision) -> str:
    """A provision's value in search filters and facets: "agreement-slug/provision-slug"."""
    return f"{provision.agreement.slug}/{provision.slug}"


class ProvisionQuerySet(models.QuerySet):
    def by_keys(self, keys):
        """The provisions whose provision_key() is among `keys`, with it as `key` (one query)."""
        keyed = self.annotate(key=Concat("agreement__slug", Value("/"), "slug", output_field=models.CharField()))
        return keyed.filter(key__in=list(keys))


class ProvisionManager(models.Manager.from_queryset(ProvisionQuerySet)):
    def get_by_natural_key(self, agreement_slug, slug):
        return self.get(agreement__slug=agreement_slug, slug=slug)


class Provision(TimeStamped):
    """One commitment of an agreement, summarised in our own words."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="provisions")
    number = models.CharField(
        max_length=40, help_text='The section or number as the document gives it, e.g. "Part One, A.1".'
    )
    slug = models.SlugField(
        max_length=100, blank=True, help_text="Its address within the agreement; made from the number when left blank."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within the agreement.")
    title = models.CharField(max_length=200, help_text="A short heading in our own words.")
    summary = models.TextField(help_text="What the provision commits to, in our own words, with its figures.")
    obligated_party = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="obligations",
        help_text="The side that must act.",
    )
    beneficiary = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="provisions_in_favour",
        help_text="The side the commitment is owed to; blank when it is owed to everyone.",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="provisions")
    keywords = models.TextField(
        blank=True,
        help_text="One phrase per line; a statement that uses them, on one of the provision's topics, is "
        "suggested as speaking about it (phrases joined by + must all appear, e.g. troops + withdraw).",
    )
    history = HistoricalRecords(m2m_fields=[topics])

    objects = ProvisionManager()

    class Meta:
        ordering = ["agreement", "position", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "slug"], name="provision_slug_unique_per_agreement"),
            models.UniqueConstraint(fields=["agreement", "number"], name="provision_number_unique_per_agreement"),
        ]

    def __str__(self):
        return f"{self.agreement}, {self.number}: {self.title}"

    def clean(self):
        # Moved to another agreement, its dates must still follow that agreement's signing.
        if self.pk is None or self.agreement_id is None:
            return
        signed = Agreement.objects.filter(pk=self.agreement_id).values_list("signed_date", flat=True).first()
        early = self.deadlines.filter(date__lt=signed).exists() or self.assessments.filter(as_of__lt=signed).exists()
        if signed and early:
            raise ValidationError(
                {
                    "agreement": f"The provision has a deadline or an assessment before {signed:%-d %B %Y}, when "
                    "that agreement was signed."
                }
            )

    def save(self, *args, **kwargs):
        if not self.slug:
            base = (slugify(self.number) or slugify(self.title) or "provision")[:90].strip("-") or "provision"
            taken = set(
                Provision.objects.filter(agreement_id=self.agreement_id, slug__startswith=base)
                .exclude(pk=self.pk)
                .values_list("slug", flat=True)
            )
            slug, n = base, 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            self.slug = slug
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.agreement.slug, self.slug)

    natural_key.dependencies = ["archive.agreement"]

    def get_absolute_url(self):
        return reverse("archive:provision_detail", args=[self.agreement.slug, self.slug])

    @property
    def keyword_rules(self) -> list[list[str]]:
        """The keyword lines, each split into the phrases that must all appear."""
        rules = []
        for line in self.keywords.splitlines():
            phrases = [part.strip().lower() for part in line.split("+") if part.strip()]
            if phrases:
                rules.append(phrases)
        return rules


class AfterSigning:
    """A provision's dated record (a deadline, an assessment): its date is stored as the first day when
    only the month or year is known, and never falls before its agreement was signed."""

    date_field = ""
    precision_field = ""

    def before_signing(self, signed) -> str:
        raise NotImplementedError

    def signing_errors(self) -> dict:
        """The error of a date set before the agreement was signed (empty when it is not)."""
        value = getattr(self, self.date_field)
        if value is None or self.provision_id is None:
            return {}
        signed = Agreement.objects.filter(provisions=self.provision_id).values_list("signed_date", flat=True).first()
        if signed and value < signed:
            return {self.date_field: self.before_signing(signed)}
        return {}

    def clean(self):
        value = getattr(self, self.date_field)
        if value is not None and getattr(self, self.precision_field) in ("month", "year") and value.day != 1:
            raise ValidationError({self.date_field: "A month- or year-precise date is stored as its first day."})
        errors = self.signing_errors()
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # The rule spans two tables, so no database constraint can hold it; no save path skips it.
        errors = self.signing_errors()
        if errors:
            raise ValidationError(errors)
        super().save(*args, **kwargs)


class Deadline(AfterSigning, TimeStamped):
    """A date by which (part of) a provision was due; never before the agreement was signed."""

    date_field, precision_field = "date", "precision"

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="deadlines")
    date = models.DateField(help_text="The due date; a month- or year-precise date is stored as its first day.")
    precision = models.CharField(max_length=10, choices=DATE_PRECISIONS, default="day")
    description = models.CharField(
        max_length=300, help_text='What was due by then, e.g. "US forces down to 8,600 (135 days)".'
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(precision__in=["day", "month", "year"]), name="deadline_precision_valid"
            ),
            models.CheckConstraint(
                condition=Q(precision="day")
                | Q(precision="month", date__day=1)
                | Q(precision="year", date__day=1, date__month=1),
                name="deadline_date_matches_precision",
            ),
            models.UniqueConstraint(fields=["provision", "date", "description"], name="deadline_unique_per_provision"),
        ]

    def __str__(self):
        return f"{self.date_display}: {self.description}"

    @property
    def date_display(self) -> str:
        return date_display(self.date, self.precision)

    def before_signing(self, signed) -> str:
        return f"A deadline cannot fall before the agreement was signed ({signed:%-d %B %Y})."


class AssessmentQuerySet(models.QuerySet):
    def for_pages(self):
        return self.select_related("provision", "provision__agreement").prefetch_related(
            "evidence_articles", "evidence_statements"
        )


class ImplementationAssessment(AfterSigning, TimeStamped):
    """How far a provision was implemented as of a date, on the four-point scale, and why we say so."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        MINIMAL = "minimal", "Minimal"
        INTERMEDIATE = "intermediate", "Intermediate"
        FULL = "full", "Full"
        DISPUTED = "disputed", "Disputed"
        SUPERSEDED = "superseded", "Superseded"

    date_field, precision_field = "as_of", "as_of_precision"

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="assessments")
    as_of = models.DateField(
        help_text="The date the assessment describes (not the day it was written); a month- or year-precise date "
        "is stored as its first day."
    )
    as_of_precision = models.CharField(
        max_length=10,
        choices=DATE_PRECISIONS,
        default="day",
        help_text="How precisely the evidence dates the state described, e.g. month for an article dated to the month.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        help_text="Four-point implementation scale (not started, minimal, intermediate, full); disputed when "
        "the sources contradict each other; superseded when a later arrangement replaced the provision.",
    )
    rationale = models.TextField(help_text="Why this status, in our own words, from the evidence below.")
    evidence_statements = models.ManyToManyField(
        Statement, blank=True, related_name="assessments", help_text="Statements the assessment relies on."
    )
    evidence_articles = models.ManyToManyField(
        Article, blank=True, related_name="assessments", help_text="Articles the assessment relies on."
    )
    history = HistoricalRecords(m2m_fields=[evidence_statements, evidence_articles])

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["provision", "as_of"]
        constraints = [
            models.UniqueConstraint(fields=["provision", "as_of"], name="assessment_one_per_provision_and_day"),
            models.CheckConstraint(
                condition=Q(status__in=["not_started", "minimal", "intermediate", "full", "disputed", "superseded"]),
                name="assessment_status_valid",
            ),
            models.CheckConstraint(condition=~Q(rationale=""), name="assessment_rationale_not_empty"),
            models.CheckConstraint(
                condition=Q(as_of_precision="day")
                | Q(as_of_precision="month", as_of__day=1)
                | Q(as_of_precision="year", as_of__day=1, as_of__month=1),
                name="assessment_date_matches_precision",
            ),
        ]

    def __str__(self):
        return f"{self.provision.number} as of {self.as_of_display}: {self.get_status_display()}"

    @property
    def as_of_display(self) -> str:
        return date_display(self.as_of, self.as_of_precision)

    def before_signing(self, signed) -> str:
        return f"The agreement was only signed on {signed:%-d %B %Y}."


class ProvisionLinkQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(review_status=StatementProvisionLink.ReviewStatus.CONFIRMED)

    def public(self):
        """Confirmed links of public statements: what the public site shows."""
        return self.confirmed().filter(statement__in=Statement.objects.public())

    def suggested(self):
        return self.filter(review_status=StatementProvisionLink.ReviewStatus.SUGGESTED)


class StatementProvisionLink(TimeStamped):
    """A statement speaks about a provision: it claims it was kept or broken, demands it, and so on."""

    class Relation(models.TextChoices):
        CLAIMS_KEPT = "claims_kept", "Claims kept"
        CLAIMS_BROKEN = "claims_broken", "Claims broken"
        DEMANDS = "demands", "Demands"
        PROMISES = "promises", "Promises"
        INTERPRETS = "interprets", "Interprets"
        DENIES = "denies", "Denies"

    class ReviewStatus(models.TextChoices):
        SUGGESTED = "suggested", "Suggested (by the machine)"
        CONFIRMED = "confirmed", "Confirmed by an editor"
        REJECTED = "rejected", "Rejected by an editor"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="provision_links")
    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="statement_links")
    relation = models.CharField(max_length=20, choices=Relation.choices)
    review_status = models.CharField(
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.CONFIRMED,
        db_index=True,
        help_text="Only confirmed links are shown to the public; suggestions wait for an editor.",
    )
    reason = models.CharField(
        max_length=300, blank=True, help_text="For a suggestion: what in the statement made the machine suggest it."
    )
    history = HistoricalRecords()

    objects = ProvisionLinkQuerySet.as_manager()

    class Meta:
        ordering = ["provision", "statement"]
        verbose_name = "statement ↔ provision link"
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "provision"], name="link_one_relation_per_statement_provision"
            ),
            models.CheckConstraint(
                condition=Q(
                    relation__in=["claims_kept", "claims_broken", "demands", "promises", "interprets", "denies"]
                ),
                name="link_relation_valid",
            ),
            models.CheckConstraint(
                condition=Q(review_status__in=["suggested", "confirmed", "rejected"]), name="link_review_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["provision", "review_status"], name="link_provision_status_idx")]

    def __str__(self):
        return f"{self.statement} — {self.get_relation_display().lower()}: {self.provision.number}"
