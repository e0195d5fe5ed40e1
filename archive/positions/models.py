"""Stances of statements toward topics or provisions, and relations between statements.

Imported by archive/models.py, so the models belong to the archive app. Both carry a review status:
machine suggestions wait for an editor; only confirmed rows count as facts on the public site.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from archive.agreements.models import Provision
from archive.models import Statement, TimeStamped, Topic, public_statement_q


class ReviewStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested (by the machine)"
    CONFIRMED = "confirmed", "Confirmed by an editor"
    REJECTED = "rejected", "Rejected by an editor"


SUGGESTED_LABEL = "suggested, not reviewed"


class StanceQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(review_status=ReviewStatus.CONFIRMED)

    def suggested(self):
        return self.filter(review_status=ReviewStatus.SUGGESTED)

    def public(self):
        """Confirmed stances of public statements: the facts the public site shows."""
        return self.confirmed().filter(public_statement_q("statement__"))

    def shown(self):
        """Stances a public page may show: confirmed, or suggested and labelled so; never rejected."""
        return self.exclude(review_status=ReviewStatus.REJECTED).filter(public_statement_q("statement__"))


class StatementStance(TimeStamped):
    """Where a statement stands on one of its topics, or on an agreement provision."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        OPPOSES = "opposes", "Opposes"
        CONDITIONAL = "conditional", "Supports on conditions"
        UNCLEAR = "unclear", "Unclear"

    ReviewStatus = ReviewStatus

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="stances")
    topic = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="stances",
        help_text="The topic the stance is on; leave blank when it is on a provision.",
    )
    provision = models.ForeignKey(
        Provision,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="stances",
        help_text="The agreement provision the stance is on; leave blank when it is on a topic.",
    )
    stance = models.CharField(max_length=12, choices=Stance.choices)
    review_status = models.CharField(
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.CONFIRMED,
        db_index=True,
        help_text="Only confirmed stances count as facts; a suggestion is shown, if at all, labelled as one.",
    )
    reason = models.CharField(
        max_length=300, blank=True, help_text="For a suggestion: the words that made the machine suggest it."
    )
    note = models.TextField(blank=True, help_text="Why the editor reads the statement this way, or its source.")
    history = HistoricalRecords()

    objects = StanceQuerySet.as_manager()

    class Meta:
        ordering = ["statement_id", "topic_id", "provision_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=False, provision__isnull=True)
                | Q(topic__isnull=True, provision__isnull=False),
                name="stance_on_topic_or_provision",
            ),
            models.UniqueConstraint(
                fields=["statement", "topic"],
                condition=Q(topic__isnull=False),
                name="stance_one_per_statement_topic",
            ),
            models.UniqueConstraint(
                fields=["statement", "provision"],
                condition=Q(provision__isnull=False),
                name="stance_one_per_statement_provision",
            ),
            models.CheckConstraint(
                condition=Q(stance__in=["supports", "opposes", "conditional", "unclear"]), name="stance_value_valid"
            ),
            models.CheckConstraint(
                condition=Q(review_status__in=["suggested", "confirmed", "rejected"]),
                name="stance_review_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["topic", "review_status"], name="stance_topic_status_idx")]

    def __str__(self):
        return f"{self.statement} — {self.get_stance_display().lower()}: {self.subject}"

    @property
    def subject(self):
        return self.topic if self.topic_id else self.provision

    @property
    def is_suggestion(self) -> bool:
        return self.review_status == ReviewStatus.SUGGESTED

    def clean(self):
        if (self.topic_id is None) == (self.provision_id is None):
            raise ValidationError("Choose either a topic or a provision (exactly one).")


class RelationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(review_status=ReviewStatus.CONFIRMED)

    def suggested(self):
        return self.filter(review_status=ReviewStatus.SUGGESTED)

    def public(self):
        """Confirmed relations between two public statements."""
        return self.confirmed().filter(public_statement_q("from_statement__"), public_statement_q("to_statement__"))

    def shown(self):
        """Relations a public page may show (suggestions labelled as such); never rejected ones."""
        return self.exclude(review_status=ReviewStatus.REJECTED).filter(
            public_statement_q("from_statement__"), public_statement_q("to_statement__")
        )


class StatementRelation(TimeStamped):
    """One statement answers another: it replies to, denies, confirms, repeats or contradicts it.

    The answered statement (`to_statement`) is never later than the answering one (`from_statement`).
    """

    class Kind(models.TextChoices):
        REPLIES_TO = "replies_to", "Replies to"
        DENIES = "denies", "Denies"
        CONFIRMS = "confirms", "Confirms"
        REPEATS = "repeats", "Repeats"
        CONTRADICTS = "contradicts", "Contradicts"

    ReviewStatus = ReviewStatus

    from_statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="relations_from", help_text="The answering statement."
    )
    to_statement = models.ForeignKey(
        Statement,
        on_delete=models.CASCADE,
        related_name="relations_to",
        help_text="The statement answered; said on or before the answering one.",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    review_status = models.CharField(
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.CONFIRMED,
        db_index=True,
        help_text="Only confirmed relations count as facts; a suggestion is shown, if at all, labelled as one.",
    )
    reason = models.CharField(
        max_length=300, blank=True, help_text="For a suggestion: what made the machine suggest it."
    )
    note = models.TextField(blank=True, help_text="Why the editor reads the statements this way, or its source.")
    history = HistoricalRecords()

    objects = RelationQuerySet.as_manager()

    class Meta:
        ordering = ["to_statement_id", "from_statement_id", "kind"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_statement=F("to_statement")), name="relation_not_to_itself"),
            models.UniqueConstraint(fields=["from_statement", "to_statement", "kind"], name="relation_unique_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=["replies_to", "denies", "confirms", "repeats", "contradicts"]),
                name="relation_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(review_status__in=["suggested", "confirmed", "rejected"]),
                name="relation_review_status_valid",
            ),
        ]

    def __str__(self):
        return f"#{self.from_statement_id} {self.get_kind_display().lower()} #{self.to_statement_id}"

    @property
    def is_suggestion(self) -> bool:
        return self.review_status == ReviewStatus.SUGGESTED

    def order_errors(self) -> dict:
        """The errors of a relation to itself or to a later statement (empty when there are none)."""
        if self.from_statement_id is None or self.to_statement_id is None:
            return {}
        if self.from_statement_id == self.to_statement_id:
            return {"to_statement": "A statement cannot relate to itself."}
        dates = dict(
            Statement.objects.filter(pk__in=[self.from_statement_id, self.to_statement_id]).values_list("pk", "date")
        )
        source, target = dates.get(self.from_statement_id), dates.get(self.to_statement_id)
        if source is not None and target is not None and target > source:
            return {
                "to_statement": f"The answered statement ({target:%-d %B %Y}) is later than the answering one "
                f"({source:%-d %B %Y}): swap them."
            }
        return {}

    def clean(self):
        errors = self.order_errors()
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # The date rule spans two rows, so no check constraint can hold it; no save path skips it.
        errors = self.order_errors()
        if errors:
            raise ValidationError(errors)
        super().save(*args, **kwargs)
