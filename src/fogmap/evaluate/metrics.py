"""Precision, recall and F1 over matched counts: one definition for every scorer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Score:
    """Counts behind P/R/F1. Predictions and gold items are matched separately, so that
    overlap scoring (where one prediction may cover two gold items) stays honest."""

    predicted: int = 0
    predicted_matched: int = 0
    gold: int = 0
    gold_matched: int = 0

    @property
    def precision(self) -> float:
        return self.predicted_matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.gold_matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.predicted += other.predicted
        self.predicted_matched += other.predicted_matched
        self.gold += other.gold
        self.gold_matched += other.gold_matched
