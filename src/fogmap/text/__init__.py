"""Text stages: HTML extraction, flattened-text cleaning, duplicate detection."""

from fogmap.text._stopwords import stopwords

__all__ = ["stopwords"]
