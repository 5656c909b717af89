import pytest

from pipelines.nlp.pipeline import build_nlp


def test_indonesian_pipeline_runs_components_in_order():
    assert build_nlp("id").pipe_names == [
        "ikrar_sentences", "ikrar_entity_rules", "ikrar_model_ner", "ikrar_indonesian_names", "ikrar_entity_linker",
        "ikrar_commitments"]


def test_english_pipeline_leaves_out_the_indonesian_model():
    assert "ikrar_model_ner" not in build_nlp("en").pipe_names


def test_max_length_is_configurable():
    assert build_nlp("en", max_length=1234).max_length == 1234


def test_unsupported_language_is_refused():
    with pytest.raises(ValueError, match="unsupported language"):
        build_nlp("fr")
