"""The spaCy pipeline: verified on load, and taught the names the stock model gets wrong."""

from __future__ import annotations

import copy

import pytest

from fogmap.errors import ModelError
from fogmap.nlp import MODEL_PERFORMANCE, verify_meta


def _ents(nlp, text: str) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in nlp(text).ents]


def test_the_installed_pipeline_is_en_core_web_sm_3_8_0(nlp) -> None:
    assert nlp.meta["version"] == "3.8.0"
    assert nlp.pipe_names[-1] == "fogmap_org_of_place"
    assert nlp.pipe_names.index("fogmap_names") < nlp.pipe_names.index("ner")


def test_a_pipeline_with_other_figures_is_refused(nlp) -> None:
    meta = copy.deepcopy(nlp.meta)
    meta["performance"]["ents_f"] = MODEL_PERFORMANCE["ents_f"] + 0.01
    with pytest.raises(ModelError, match="ents_f"):
        verify_meta(meta)
    meta = copy.deepcopy(nlp.meta)
    meta["version"] = "3.7.1"
    with pytest.raises(ModelError, match=r"3\.8\.0"):
        verify_meta(meta)


def test_conflict_zone_places_get_place_labels(nlp) -> None:
    ents = _ents(nlp, "Fighters from Panjshir fled to Tajikistan through the Hindu Kush.")
    assert ("Panjshir", "GPE") in ents
    assert ("Tajikistan", "GPE") in ents
    assert ("Hindu Kush", "LOC") in ents


def test_an_organisation_named_after_a_place_stays_one_org(nlp) -> None:
    ents = _ents(nlp, "Ali Nazary of the National Resistance Front of Afghanistan spoke.")
    assert ("National Resistance Front of Afghanistan", "ORG") in ents
    assert all(label != "GPE" for _, label in ents)
    ents = _ents(nlp, "A statement from the Ministry of Defence of Ukraine followed.")
    assert ("the Ministry of Defence of Ukraine", "ORG") in ents


def test_ruler_tags_carry_the_canonical_name(nlp) -> None:
    doc = nlp("Daesh and ISKP claimed the attack.")
    assert {e.ent_id_ for e in doc.ents} >= {"Islamic State", "Islamic State Khorasan Province"}
