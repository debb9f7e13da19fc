"""Duplicates: one id per distinct text, and MinHash LSH groups of near-duplicates.

An article's id is a hash of its normalised text, so the same story fetched twice (or
from two URLs) is one article with two sources. Near-duplicates (a wire story carried by
ten outlets with different headlines and footers) share a `near_duplicate_group`: the id
of the first member seen. Candidates come from LSH bands of a MinHash signature over word
shingles (datasketch); a candidate joins the group only if its estimated Jaccard
similarity clears the threshold. The band index is a protocol so that the store can keep
it in a table and a one-off `extract` run can keep it in memory.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np
from datasketch import MinHash, MinHashLSH

from fogmap.settings import DEFAULTS, Settings

# datasketch's 32-bit affine permutations: signatures are stored as little-endian uint32,
# and a stored signature names its scheme when read back (datasketch requires it).
_SCHEME = "affine32"
_STORED = "<u4"
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_QUOTE_MAP = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def normalised_for_identity(text: str) -> str:
    return _SPACE.sub(" ", text.translate(_QUOTE_MAP)).strip().casefold()


def article_id(text: str) -> str:
    """Stable id: the same text (up to case, spacing and quote style) gives the same id."""
    return hashlib.sha256(normalised_for_identity(text).encode()).hexdigest()[:16]


def signature(text: str, settings: Settings = DEFAULTS) -> MinHash:
    words = _WORD.findall(text.casefold())
    size = settings.shingle_size
    shingles = {" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}
    minhash = MinHash(num_perm=settings.minhash_permutations, scheme=_SCHEME)
    minhash.update_batch([s.encode() for s in shingles])
    return minhash


def signature_bytes(minhash: MinHash) -> bytes:
    return minhash.hashvalues.astype(_STORED).tobytes()


def signature_from_bytes(data: bytes) -> MinHash:
    values = np.frombuffer(data, dtype=_STORED).astype(np.uint32)
    return MinHash(num_perm=len(values), hashvalues=values, scheme=_SCHEME)


@lru_cache(maxsize=8)
def _band_shape(threshold: float, permutations: int) -> tuple[int, int]:
    """datasketch's optimal (bands, rows) split for this threshold."""
    lsh = MinHashLSH(threshold=threshold, num_perm=permutations)
    return lsh.b, lsh.r


def band_keys(minhash: MinHash, settings: Settings = DEFAULTS) -> list[int]:
    """One signed 64-bit key per LSH band."""
    bands, rows = _band_shape(settings.near_duplicate_threshold, settings.minhash_permutations)
    values = minhash.hashvalues.astype(_STORED)
    keys = []
    for band in range(bands):
        chunk = band.to_bytes(2, "little") + values[band * rows : (band + 1) * rows].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


MAX_CANDIDATES = 32  # stored articles a new one is compared with, those sharing most bands
BAND_READ = 64  # members of one near-duplicate band read for a new article


@dataclass(frozen=True, slots=True)
class Candidate:
    article_id: str
    group: str
    signature: MinHash


class BandIndex(Protocol):
    def candidates(self, keys: Iterable[int]) -> list[Candidate]: ...

    def add(self, article_id: str, group: str, minhash: MinHash, keys: list[int]) -> None: ...


class MemoryBandIndex:
    """Band index for one process's run; the store keeps the same index in a table."""

    def __init__(self) -> None:
        self._buckets: dict[int, list[str]] = defaultdict(list)
        self._members: dict[str, tuple[str, MinHash]] = {}

    def candidates(self, keys: Iterable[int]) -> list[Candidate]:
        """As the store's index: the MAX_CANDIDATES articles sharing the most bands, each
        band read up to BAND_READ members, so that a run over thousands of templated
        bulletins (which share their bands) stays linear."""
        shared = Counter(
            a for key in dict.fromkeys(keys) for a in self._buckets.get(key, ())[:BAND_READ]
        )
        best = sorted(shared, key=lambda a: (-shared[a], a))[:MAX_CANDIDATES]
        return [Candidate(a, *self._members[a]) for a in best]

    def add(self, article_id: str, group: str, minhash: MinHash, keys: list[int]) -> None:
        self._members[article_id] = (group, minhash)
        for key in keys:
            self._buckets[key].append(article_id)


class CandidateSource(Protocol):
    def candidates(self, keys: Iterable[int]) -> list[Candidate]: ...


class LayeredBandIndex(MemoryBandIndex):
    """New articles in memory, layered over a read-only index of those stored before."""

    def __init__(self, below: CandidateSource) -> None:
        super().__init__()
        self._below = below

    def candidates(self, keys: Iterable[int]) -> list[Candidate]:
        keys = list(keys)
        return [*self._below.candidates(keys), *super().candidates(keys)]


@dataclass(frozen=True, slots=True)
class Grouping:
    group: str
    signature: MinHash
    keys: list[int]
    similarity: float  # to the group member it joined; 1.0 for a new group


def near_duplicate_group(
    article: str, text: str, index: BandIndex, settings: Settings = DEFAULTS
) -> Grouping:
    """Find the group `article` belongs to (adding it to the index) by LSH then Jaccard."""
    minhash = signature(text, settings)
    keys = band_keys(minhash, settings)
    best: tuple[float, str] | None = None
    for candidate in index.candidates(keys):
        if candidate.article_id == article:
            return Grouping(candidate.group, minhash, keys, 1.0)
        similarity = minhash.jaccard(candidate.signature)
        if similarity >= settings.near_duplicate_threshold and (
            best is None or similarity > best[0]
        ):
            best = (similarity, candidate.group)
    group, similarity = (best[1], best[0]) if best else (article, 1.0)
    index.add(article, group, minhash, keys)
    return Grouping(group, minhash, keys, similarity)
