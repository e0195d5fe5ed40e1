"""Near-duplicate detection: MinHash signatures of an article's word shingles, found again through LSH.

A repost by another outlet, the same wire story under other chrome, or a corrected copy with one word
changed differs from the stored article by a few shingles; datasketch's MinHash estimates the Jaccard
similarity of two shingle sets from 128 numbers per article. Each signature is also cut into bands whose
hashes are stored in the database, so that the stored articles likely to be alike are found by an
indexed query (locality-sensitive hashing) without comparing against every body or loading every
signature.
"""

import hashlib
import re

import numpy as np
from datasketch import LeanMinHash, MinHash

NUM_PERM = 128
SEED = 1
# datasketch's 32-bit permutation scheme: stored signatures stay valid only with the same scheme and seed.
SCHEME = "affine32"
SHINGLE_WORDS = 3
# Jaccard similarity of the shingle sets from which an article is reported as a possible duplicate;
# a one-word correction of a 100-word article scores about 0.94, a repost under other chrome about 1.
DEFAULT_THRESHOLD = 0.8
# Locality-sensitive hashing of the signature: 20 bands of 6 values. Two texts share a band with
# probability 1 - (1 - s^6)^20 for a similarity s: 0.998 at s = 0.8, 0.27 at s = 0.5, 0.02 at s = 0.3.
BANDS = 20
ROWS = 6
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


def band_keys(minhash: LeanMinHash) -> list[int]:
    """The signature's LSH bucket in each band, as signed 64-bit integers (for an indexed column).

    The band's number is hashed in, so a bucket names its band too and one `IN` query finds them all.
    """
    values = np.asarray(minhash.hashvalues, dtype=np.uint32)
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(
            values[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8, salt=band.to_bytes(2, "big")
        ).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys
