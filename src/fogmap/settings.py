"""Tunable limits and thresholds, in one place and documented in docs/settings.md.

A test checks that every field here is documented there, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Settings:
    max_article_chars: int = 500_000
    """Longest cleaned text accepted as one article: parsing costs about 250 MB and 5 s
    per 100,000 characters, so this keeps a process parsing one under about 1.5 GB."""

    article_seconds: float = 60
    """Time the extractors may spend on one parsed article before it is skipped, named,
    so that a pathological text fails alone (0: no budget)."""

    max_file_bytes: int = 20_000_000
    """Largest single-article file (.txt, .html) read, and longest JSONL line or standard
    input; bigger ones are refused unread."""

    min_page_words: int = 8
    """Fewest words a web page's text must keep after cleaning to be an article; a page
    of navigation only ("Home News") is refused."""

    batch_size: int = 32
    """Articles parsed together by `nlp.pipe` and committed together by `ingest`."""

    near_duplicate_threshold: float = 0.5
    """Estimated Jaccard similarity of word 3-gram shingles above which two articles
    are grouped as near-duplicates (syndicated copies, lightly edited re-posts)."""

    minhash_permutations: int = 128
    """MinHash signature length; more is more exact and slower."""

    shingle_size: int = 3
    """Words per shingle for near-duplicate detection."""


DEFAULTS = Settings()
