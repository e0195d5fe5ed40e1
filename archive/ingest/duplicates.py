"""Near-duplicate detection: MinHash signatures of an article's word shingles, found again through LSH.

A repost by another outlet, the same wire story under other chrome, or a corrected copy with one word
changed differs from the stored article by a few shingles; datasketch's MinHash estimates the Jaccard
similarity of two shingle sets from 128 numbers per article, and its MinHashLSH finds the stored
articles likely to pass the threshold without comparing against every body.
"""

import re

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 128
SEED = 1
# datasketch's 32-bit permutation scheme: stored signatures stay valid only with the same scheme and seed.
SCHEME = "affine32"
SHINGLE_WORDS = 3
# Jaccard similarity of the shingle sets from which an article is reported as a possible duplicate;
# a one-word correction of a 100-word article scores about 0.94, a repost under other chrome about 1.
DEFAULT_THRESHOLD = 0.8
# LSH finds candidates a little below the threshold, which the signature comparison then confirms.
_LSH_MARGIN = 0.1
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[bytes]:
    """The article's word trigrams, case-folded: what two copies of one story share."""
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(text: str) -> LeanMinHash:
    """The MinHash signature of a text's shingles."""
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch(list(shingles(text)))
    return LeanMinHash(minhash)


def to_bytes(minhash: LeanMinHash) -> bytes:
    """A signature as stored: its 128 unsigned 32-bit hash values."""
    return np.asarray(minhash.hashvalues, dtype=np.uint32).tobytes()


def from_bytes(data: bytes) -> LeanMinHash:
    """A stored signature back as a LeanMinHash."""
    values = np.frombuffer(bytes(data), dtype=np.uint32)
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


def similarity(a: LeanMinHash, b: LeanMinHash) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (0–1)."""
    return float(a.jaccard(b))


class NearDuplicateIndex:
    """Stored signatures in an LSH index: which known texts look like a new one."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD):
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=max(0.3, threshold - _LSH_MARGIN), num_perm=NUM_PERM)
        self.signatures: dict[int, LeanMinHash] = {}

    def __len__(self) -> int:
        return len(self.signatures)

    def add(self, key: int, minhash: LeanMinHash) -> None:
        if key in self.signatures:
            self.remove(key)
        self.lsh.insert(key, minhash, check_duplication=False)
        self.signatures[key] = minhash

    def remove(self, key: int) -> None:
        if key in self.signatures:
            self.lsh.remove(key)
            del self.signatures[key]

    def best_match(self, minhash: LeanMinHash, exclude=()) -> tuple[int, float] | None:
        """(key, similarity) of the most similar stored text at or above the threshold, or None."""
        best = None
        for key in self.lsh.query(minhash):
            if key in exclude:
                continue
            score = similarity(minhash, self.signatures[key])
            if score >= self.threshold and (best is None or (score, -key) > (best[1], -best[0])):
                best = (key, score)
        return best
