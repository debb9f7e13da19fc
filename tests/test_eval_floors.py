"""The evaluation gate: development scores pinned as floors, as trafilatura does in CI.

Each floor is the score measured when the capability landed (minus rounding), so no later
change can make fogmap quietly worse. The gold data is not part of fogmap: where it is
absent (a new user's clone) these tests skip and say where they looked.
"""

from __future__ import annotations

import pytest

from fogmap.evaluate import data_root

pytestmark = pytest.mark.slow

# `fogmap eval entities` on re3d (all 98 documents), measured 2026-11-25.
ENTITY_FLOORS = {"exact:all": 0.42, "overlap:all": 0.58, "overlap:Location": 0.67}


def _gold(name: str):
    root = data_root()
    if root is None or not (root / name).is_dir():
        pytest.skip(f"gold data {name!r} not found (set FOGMAP_EVAL_DATA to the folder holding it)")
    return root / name


def test_entity_scores_on_re3d_stay_above_their_floors(nlp) -> None:
    from fogmap.evaluate.entities import evaluate

    scores = evaluate(_gold("re3d"), nlp)["fogmap"]
    for key, floor in ENTITY_FLOORS.items():
        assert scores[key].f1 >= floor, f"{key} F1 fell to {scores[key].f1:.3f} (floor {floor})"


# `fogmap eval cleaning` on trafilatura-eval (983 pages), measured 2026-11-25:
# HTML F1 0.929 (bare trafilatura 0.922); flattened page kept 0.942 / removed 0.500,
# article container kept 0.961 / removed 0.425; dates 0.860 on the same day.
CLEANING_FLOORS = {
    "html_f1": 0.92,
    "page_kept": 0.935,
    "page_removed": 0.49,
    "article_kept": 0.955,
    "article_removed": 0.41,
    "date_same_day": 0.85,
}


def test_cleaning_scores_on_trafilatura_eval_stay_above_their_floors() -> None:
    from fogmap.evaluate.cleaning import evaluate

    results = evaluate(_gold("trafilatura-eval"))
    fogmap, bare = results.html["fogmap"], results.html["trafilatura"]
    assert fogmap.f1 >= bare.f1, f"HTML F1 {fogmap.f1:.3f} fell below trafilatura's {bare.f1:.3f}"
    measured = {
        "html_f1": fogmap.f1,
        "page_kept": results.flat["page"].kept,
        "page_removed": results.flat["page"].removed,
        "article_kept": results.flat["article"].kept,
        "article_removed": results.flat["article"].removed,
        "date_same_day": results.date_accuracy("fogmap"),
    }
    for key, floor in CLEANING_FLOORS.items():
        assert measured[key] >= floor, f"{key} fell to {measured[key]:.3f} (floor {floor})"


# `fogmap eval cleaning`'s spliced residue: fogmap's own residue pools in PolNeAR's 84 dev
# bodies, three layouts each, measured 2026-11-29: residue removed 0.972 (0.544 before the
# inline rules), story sentences kept 0.993, captions kept apart 0.941 (0.421).
RESIDUE_FLOORS = {"removed": 0.965, "kept": 0.99, "captions": 0.93}


def test_residue_spliced_into_news_bodies_stays_above_its_floors() -> None:
    from fogmap.evaluate.residue import evaluate

    total = evaluate(_gold("polnear")).total
    measured = {
        "removed": total.removed_share,
        "kept": total.kept_share,
        "captions": total.captions_share,
    }
    for key, floor in RESIDUE_FLOORS.items():
        assert measured[key] >= floor, f"residue {key} fell to {measured[key]:.3f} (floor {floor})"


# `fogmap eval claims` on PolNeAR dev (84 articles), measured 2026-11-25: source overlap
# 0.724, content overlap 0.786, cue exact 0.552, source exact 0.659, attribution 0.647;
# 2026-12-08 (transcript lines, documents in headlines, quotations signed after a dash):
# 0.729, 0.804, 0.561, 0.669, 0.656.
CLAIM_FLOORS = {
    "overlap:source": 0.715,
    "overlap:content": 0.79,
    "exact:cue": 0.55,
    "exact:source": 0.655,
    "attribution": 0.645,
}


def test_claim_scores_on_polnear_dev_stay_above_their_floors(nlp) -> None:
    from fogmap.evaluate.claims import evaluate

    scores = evaluate(_gold("polnear"), nlp, "dev")
    found = {
        f"{mode}:{role}": getattr(scores, mode)[role].f1
        for mode in ("exact", "overlap")
        for role in ("source", "cue", "content")
    }
    found["attribution"] = scores.attribution.f1
    for key, floor in CLAIM_FLOORS.items():
        assert found[key] >= floor, f"{key} F1 fell to {found[key]:.3f} (floor {floor})"


# `fogmap eval places` (GeoWebNews 200 articles, GeoVirus 229), measured 2026-11-25:
# GeoWebNews overlap F1 0.801, acc@161 0.756, coverage 0.685; GeoVirus overlap F1 0.852,
# acc@161 0.728, coverage 0.871 (hierarchies and names after prepositions recognised).
PLACE_FLOORS = {
    "geowebnews": {"overlap_f1": 0.78, "accuracy_161": 0.73, "coverage": 0.67},
    "geovirus": {"overlap_f1": 0.84, "accuracy_161": 0.70, "coverage": 0.86},
}


def test_place_scores_stay_above_their_floors(nlp, gazetteer) -> None:
    from fogmap.evaluate.places import evaluate

    for corpus, floors in PLACE_FLOORS.items():
        scores = evaluate(_gold(corpus), corpus, nlp, gazetteer)
        found = {
            "overlap_f1": scores.overlap.f1,
            "accuracy_161": scores.accuracy_161,
            "coverage": scores.coverage,
        }
        for key, floor in floors.items():
            assert found[key] >= floor, f"{corpus} {key} fell to {found[key]:.3f} (floor {floor})"


# `fogmap eval events` on acled_dev (4,000 rows, read from their notes), measured
# 2026-11-29: type 0.926, sub-type 0.906, date 0.989, fatalities 0.955, admin1 0.822;
# 2026-11-30: actor1 0.644.
EVENT_FLOORS = {
    "type": 0.92,
    "sub_type": 0.90,
    "date": 0.985,
    "fatalities": 0.95,
    "admin1": 0.815,
    "actor1": 0.635,
}


def test_event_scores_on_acled_dev_stay_above_their_floors(nlp, gazetteer) -> None:
    from fogmap.evaluate.events import evaluate

    scores = evaluate(_gold("acled"), nlp, gazetteer)
    found = {
        "type": scores.types.accuracy,
        "sub_type": scores.sub_types.accuracy,
        "date": scores.share(scores.dates),
        "fatalities": scores.share(scores.fatalities),
        "admin1": scores.share(scores.admin1),
        "actor1": scores.share(scores.actor1),
    }
    for key, floor in EVENT_FLOORS.items():
        assert found[key] >= floor, f"events {key} fell to {found[key]:.3f} (floor {floor})"


# `fogmap eval news-events` on the whole-article dev split (100 FNC-1 bodies), measured
# 2026-11-29: typed precision 0.505, recall 0.764; type ignored precision 0.556; 9
# duplicates in 184 predictions; matched fields sub-type 0.892, mode 0.763, country
# 0.667, admin1 0.554, fatalities 0.624, actor1 0.424 (0.337 before territories' actors,
# one-sided battles and unidentified attackers). (When the set was made: 0.18.)
# 2026-12-08: typed precision 0.541, type ignored 0.595 (172 predictions), recall the
# same, after present passives ("airstrikes are launched only where …") and frequencies
# ("daily reports") read as habitual and aid dropped by aircraft as no strike.
NEWS_EVENT_FLOORS = {
    "typed_precision": 0.535,
    "typed_recall": 0.75,
    "detected_precision": 0.59,
    "sub_event_type": 0.885,
    "country": 0.66,
    "admin1": 0.55,
    "fatalities": 0.62,
    "actor1": 0.41,
}
NEWS_EVENT_DUPLICATES = 0.055  # the most duplicates may be of the predictions (9 of 184)


def test_whole_article_event_scores_stay_above_their_floors(nlp, gazetteer) -> None:
    from fogmap.evaluate.news_events import evaluate

    scores = evaluate(_gold("news-events"), _gold("fnc1"), nlp, gazetteer)
    found = {
        "typed_precision": scores.typed.precision,
        "typed_recall": scores.typed.recall,
        "detected_precision": scores.detected.precision,
        **{
            name: scores.field_score(name)
            for name in ("sub_event_type", "country", "admin1", "fatalities", "actor1")
        },
    }
    for key, floor in NEWS_EVENT_FLOORS.items():
        assert found[key] >= floor, f"news events {key} fell to {found[key]:.3f} (floor {floor})"
    duplicates = scores.typed.duplicates / scores.typed.predicted
    assert duplicates <= NEWS_EVENT_DUPLICATES, f"duplicates rose to {duplicates:.3f}"


# `fogmap eval stance`, measured 2026-11-29: FNC-1 development half weighted score 0.786
# (agree F1 0.410, disagree 0.248, discuss 0.704, unrelated 0.963); Emergent accuracy 0.654;
# 2026-12-08, with headlines negating the claim and bodies telling what a claim denies read
# as disagreeing: FNC-1 0.784 (disagree 0.299), Emergent 0.678.
STANCE_FLOORS = {"fnc_score": 0.78, "disagree_f1": 0.29, "emergent_accuracy": 0.67}


def test_stance_scores_stay_above_their_floors() -> None:
    from fogmap.evaluate.stance import emergent_pairs, evaluate, fnc1_pairs

    fnc1 = evaluate(fnc1_pairs(_gold("fnc1")))
    emergent = evaluate(emergent_pairs(_gold("emergent")))
    measured = {
        "fnc_score": fnc1.fnc_score,
        "disagree_f1": fnc1.f1("disagree"),
        "emergent_accuracy": emergent.accuracy,
    }
    for key, floor in STANCE_FLOORS.items():
        assert measured[key] >= floor, f"stance {key} fell to {measured[key]:.3f} (floor {floor})"


# `fogmap eval incidents`, measured 2026-11-29: story clustering B-cubed F1 0.956 on FNC-1
# development bodies (P 0.979, R 0.935), 0.853 on Emergent headlines (P 0.857, R 0.850).
STORY_FLOORS = {"FNC-1 bodies": 0.95, "Emergent headlines": 0.845}


def test_story_clustering_stays_above_its_floors() -> None:
    from fogmap.evaluate.incidents import emergent_stories, fnc1_stories, score_stories

    measured = {
        "FNC-1 bodies": score_stories(*fnc1_stories(_gold("fnc1"))).f1,
        "Emergent headlines": score_stories(*emergent_stories(_gold("emergent"))).f1,
    }
    for key, floor in STORY_FLOORS.items():
        assert measured[key] >= floor, f"stories on {key} fell to {measured[key]:.3f} ({floor})"
