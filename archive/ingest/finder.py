"""Finding the stored article an imported text repeats, through LSH bands stored in the database.

Each article's signature is cut into bands (see `duplicates.band_keys`) and kept in `ArticleBand`, one
row per band, rewritten whenever the body changes. A new text's bands are looked up with one indexed
query; only the few articles sharing a band are compared, on the signatures the database holds now.
Nothing is loaded per import, whatever the size of the archive.
"""

from django.conf import settings
from django.db.models import Count, Exists, OuterRef

from archive.ingest import duplicates
from archive.models import Article, ArticleBand

_CHUNK = 1000
# The articles sharing the most bands with a text are compared with it; more are never needed.
_CANDIDATES = 50


def duplicate_threshold() -> float:
    return float(getattr(settings, "ARCHIVE_DUPLICATE_THRESHOLD", duplicates.DEFAULT_THRESHOLD))


def band_rows(article_id: int, minhash) -> list[ArticleBand]:
    return [
        ArticleBand(article_id=article_id, band=band, bucket=bucket)
        for band, bucket in enumerate(duplicates.band_keys(minhash))
    ]


def write_bands(article: Article, *, new: bool = False) -> None:
    """Replace an article's bands with those of its current signature (a new article has none yet)."""
    minhash = duplicates.from_bytes(article.text_signature)
    if not new:
        ArticleBand.objects.filter(article_id=article.pk).delete()
    ArticleBand.objects.bulk_create(band_rows(article.pk, minhash))


def sync_bands(sender, instance, created=False, raw=False, **kwargs):
    """post_save of an article: its bands follow a new signature (a fixture load keeps the dumped ones)."""
    if raw or not getattr(instance, "_signature_changed", False):
        return
    instance._signature_changed = False
    write_bands(instance, new=created)


def fill_missing_bands() -> int:
    """Bands (and signatures) for articles stored without them: a fixture load, a bulk insert, an old row."""
    filled = 0
    lacking = Article.objects.filter(~Exists(ArticleBand.objects.filter(article=OuterRef("pk"))))
    while True:
        batch = list(lacking.only("pk", "body", "text_signature").order_by("pk")[:_CHUNK])
        if not batch:
            return filled
        signed, bands = [], []
        for article in batch:
            if article.text_signature:
                minhash = duplicates.from_bytes(article.text_signature)
            else:
                minhash = duplicates.signature(article.body)
                article.text_signature = duplicates.to_bytes(minhash)
                signed.append(article)
            bands.extend(band_rows(article.pk, minhash))
        Article.objects.bulk_update(signed, ["text_signature"])
        ArticleBand.objects.bulk_create(bands)
        filled += len(batch)


class DuplicateFinder:
    """What one import uses to find the stored article a text repeats."""

    def __init__(self):
        self.threshold = duplicate_threshold()
        fill_missing_bands()

    def find(self, minhash, exclude=()) -> tuple[int, float] | None:
        """(article id, similarity) of the stored article most like the text, at or above the threshold."""
        candidates = (
            ArticleBand.objects.filter(bucket__in=duplicates.band_keys(minhash))
            .exclude(article_id__in=list(exclude))
            .values("article_id")
            .annotate(shared=Count("id"))
            .order_by("-shared", "article_id")
            .values_list("article_id", flat=True)[:_CANDIDATES]
        )
        best = None
        # One query: the candidates' current signatures, the candidates found by a subquery on the bands.
        rows = Article.objects.filter(pk__in=candidates).values_list("pk", "text_signature")
        for pk, data in rows:
            if not data:
                continue
            score = duplicates.similarity(minhash, duplicates.from_bytes(data))
            if score >= self.threshold and (best is None or (score, -pk) > (best[1], -best[0])):
                best = (pk, score)
        return best
