"""What fusing a corpus costs as it grows: 10,000 articles against 1,000, in one process.

Article texts are FNC-1's development bodies and Emergent's headlines (real news, many
stories told several times), reused with each reuse published 60 days after the last so
that the copies are other stories, not one story told a hundred times. Each article gets
two events with a type, country, province, town and date drawn from small pools, so that
many events fall into the same blocks the way a month of conflict reporting does. The
figures to quote are the seconds for the large corpus and its cost per article as a
ratio of the small one's (1.0 is linear growth).

    .venv/bin/python bench/fusion_scale.py --data ../shared/data [--articles 10000]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta
from pathlib import Path

from fogmap.evaluate.incidents import emergent_stories, fnc1_stories
from fogmap.fuse import ArticleFacts, fuse
from fogmap.fuse.incidents import Report
from fogmap.fuse.origins import Provenance

TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"),
         ("Violence against civilians", "Attack"), ("Protests", "Peaceful protest")]  # fmt: skip
COUNTRIES = ["AF", "SY", "IQ", "YE", "NG", "ML", "SO", "UA"]


def corpus(data: Path, count: int, seed: int = 7) -> list[ArticleFacts]:
    texts = list(fnc1_stories(data / "fnc1")[0].values())
    texts += list(emergent_stories(data / "emergent")[0].values())
    rng = random.Random(seed)
    start = date(2021, 1, 1)
    built = []
    for number in range(count):
        text = texts[number % len(texts)]
        published = start + timedelta(days=60 * (number // len(texts)) + rng.randrange(14))
        article = f"a{number}"
        reports = []
        for event in range(2):
            event_type, sub_type = rng.choice(TYPES)
            country = rng.choice(COUNTRIES)
            day = (published - timedelta(days=rng.randrange(3))).isoformat()
            reports.append(
                Report(
                    article=article,
                    event=event,
                    event_type=event_type,
                    sub_event_type=sub_type,
                    mode="asserted",
                    published=published.isoformat(),
                    date_start=day,
                    date_end=day,
                    time_precision=1,
                    place=f"town {rng.randrange(20)}",
                    feature_code="PPL",
                    country=country,
                    admin1=f"{country}-{rng.randrange(5)}",
                    lat=30 + rng.random() * 4,
                    lon=60 + rng.random() * 4,
                    fatalities=rng.randrange(10),
                )
            )
        provenance = Provenance(article, f"outlet {rng.randrange(200)}")
        built.append(ArticleFacts(provenance, text, published.isoformat(), reports))
    return built


def timed(articles: list[ArticleFacts]) -> tuple[float, int]:
    began = time.perf_counter()
    fusion = fuse(articles)
    return time.perf_counter() - began, len(fusion.incidents)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args()
    small, large = corpus(args.data, args.articles // 10), corpus(args.data, args.articles)
    small_seconds, small_incidents = timed(small)
    large_seconds, large_incidents = timed(large)
    print(f"{len(small):>6} articles: {small_seconds:6.2f} s, {small_incidents} incidents")
    print(f"{len(large):>6} articles: {large_seconds:6.2f} s, {large_incidents} incidents")
    ratio = (large_seconds / len(large)) / (small_seconds / len(small))
    print(f"cost per article, large over small: {ratio:.2f}")


if __name__ == "__main__":
    main()
