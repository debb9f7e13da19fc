"""Text stages: HTML extraction, flattened-text cleaning, duplicate detection."""
