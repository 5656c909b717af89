import numpy
import pytest
import spacy
from spacy.tokens import Doc, Span
from threadpoolctl import threadpool_info

from pipelines.nlp.model_ner import (
    MODEL_DIR,
    EmbeddingCache,
    ModelEntityRecognizer,
    WordInitials,
    add_model_ents,
    embeds_words_alone,
    install_embedding_cache,
    merge_overlapping,
    receptive_field,
)

# Made-up news sentences.
NAMED = "Menurut Bambang Sutrisno , harga beras di Pekanbaru naik tajam pekan ini ."
LOWERCASE = "harga beras naik tajam pekan ini ."


@pytest.fixture(scope="module")
def recognizer():
    return ModelEntityRecognizer("ikrar_model_ner", MODEL_DIR)


@pytest.fixture(scope="module")
def make_doc():
    return spacy.blank("id").make_doc


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("id")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("ikrar_model_ner")
    return nlp


def with_rule_entity(make_doc, text, start, end, label, source):
    """A doc with one entity the rules found, as ``add_model_ents`` meets it."""
    doc = make_doc(text)
    doc.ents = [Span(doc, start, end, label=label)]
    doc.ents[0]._.source = source
    return doc


def ruled_nlp(patterns):
    """Rules first, then the model, as in the real pipeline."""
    nlp = spacy.blank("id")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("entity_ruler").add_patterns(patterns)
    nlp.add_pipe("ikrar_model_ner")
    return nlp


def test_model_finds_an_unseen_person_name(nlp):
    doc = nlp(NAMED)
    assert ("Bambang Sutrisno", "PERSON") in [(e.text, e.label_) for e in doc.ents]


def test_model_entities_are_marked_as_model_and_unlinked(nlp):
    ent = next(e for e in nlp(NAMED).ents if e.text == "Bambang Sutrisno")
    assert (ent._.source, ent._.entity_id) == ("model", None)


def test_rule_entities_keep_their_span_and_label():
    nlp = ruled_nlp([{"label": "ORG", "pattern": "Sutrisno"}])
    ents = [(e.text, e.label_) for e in nlp(NAMED).ents]
    assert ("Sutrisno", "ORG") in ents
    assert not any("Bambang" in text and "Sutrisno" in text for text, _ in ents)


def test_labels_are_mapped_to_ikrar_types(make_doc):
    doc = make_doc("Ani tinggal di Medan bersama BPS")
    add_model_ents(doc, [(0, 1, "PER"), (3, 4, "LOC"), (5, 6, "ORG")])
    assert [e.label_ for e in doc.ents] == ["PERSON", "PLACE", "ORG"]


def test_model_span_without_a_letter_or_digit_is_dropped(make_doc):
    doc = make_doc('Ani berkata " kami siap "')
    add_model_ents(doc, [(0, 1, "PER"), (2, 3, "ORG")])
    assert [(e.text, e.label_) for e in doc.ents] == [("Ani", "PERSON")]


def test_model_span_of_a_common_noun_acronym_is_dropped(make_doc):
    doc = make_doc("harga BBM naik , kata Ani")
    add_model_ents(doc, [(1, 2, "ORG"), (5, 6, "PER")], common_acronyms=frozenset({"bbm"}))
    assert [(e.text, e.label_) for e in doc.ents] == [("Ani", "PERSON")]


def test_common_noun_acronym_alone_is_not_read(recognizer, make_doc):
    assert recognizer.regions(make_doc("pemerintah menaikkan harga BBM dan gaji PNS pekan ini .")) == []


def test_overlapping_model_span_is_dropped(make_doc):
    doc = make_doc("Ani tinggal di Medan Timur")
    doc.ents = [Span(doc, 3, 4, label="PLACE")]
    add_model_ents(doc, [(3, 5, "LOC"), (0, 1, "PER")])
    assert [(e.text, e.label_) for e in doc.ents] == [("Ani", "PERSON"), ("Medan", "PLACE")]


def test_lowercase_sentence_is_not_read_by_the_model(recognizer, make_doc):
    doc = make_doc(LOWERCASE)
    assert recognizer.regions(doc) == []


def test_capitals_explained_by_rule_entities_are_not_read(recognizer, make_doc):
    doc = make_doc("harga beras di Pekanbaru naik")
    doc.ents = [Span(doc, 3, 4, label="PLACE")]
    assert recognizer.regions(doc) == []


def test_common_word_opening_a_sentence_is_not_a_cue(recognizer, make_doc):
    doc = make_doc("Harga beras naik tajam pekan ini .")
    assert recognizer.regions(doc) == []


def test_region_reads_the_context_before_the_cue_and_one_more_token_after(recognizer, make_doc):
    text = "kemarin harga beras dan gula di pasar kota Pekanbaru naik tajam sekali pada pekan ini lagi"
    words = text.split(" ")
    doc = make_doc(text)
    index = words.index("Pekanbaru")
    context = recognizer.context
    assert recognizer.regions(doc) == [(index - context, index + context + 2)]


def encoder_config(encode: dict) -> dict:
    return {"components": {"tok2vec": {"model": {"encode": encode}}}}


def test_receptive_field_is_depth_times_window_size():
    encode = {"@architectures": "spacy.MaxoutWindowEncoder.v2", "depth": 3, "window_size": 2}
    assert receptive_field(encoder_config(encode)) == 6


def test_encoder_without_fixed_windows_reads_whole_sentences():
    encode = {"@architectures": "spacy.TorchBiLSTMEncoder.v1", "depth": 2}
    assert receptive_field(encoder_config(encode)) == 0


def test_default_window_follows_the_shipped_encoder(recognizer):
    from thinc.api import Config

    encode = Config().from_disk(MODEL_DIR / "config.cfg", interpolate=False)["components"]["tok2vec"]["model"]["encode"]
    assert recognizer.context == encode["depth"] * encode["window_size"]


def test_overlapping_windows_merge():
    assert merge_overlapping([(5, 9), (0, 3), (2, 6), (12, 14)]) == [(0, 9), (12, 14)]


def test_shipped_model_stays_small():
    size = sum(path.stat().st_size for path in MODEL_DIR.rglob("*") if path.is_file())
    assert size <= 20 * 1024 * 1024


def test_name_swap_keeps_context_and_labels():
    import random

    from pipelines.nlp.train_ner import NameSampler, swap_names
    from pipelines.scoring.ner import read_conll

    sentence = read_conll("kata NOUN O\nAni PROPN B-PER\ndi ADP O\nMedan PROPN B-LOC\n")[0]
    pools = {"PER": [("Budi", "Santoso")], "LOC": [("Padang",)]}
    tokens, spans = swap_names(sentence, NameSampler(pools, [], random.Random(0)))
    assert tokens[0] == "kata" and "di" in tokens
    assert sorted(label for _, _, label in spans) == ["LOC", "PER"]
    assert all(tokens[start][:1].isupper() for start, _, _ in spans)


def test_disjoint_name_split_keeps_held_out_names_out_of_training():
    from pipelines.nlp.train_ner import disjoint_name_split
    from pipelines.scoring.ner import read_conll

    names = ["Ani", "Budi", "Citra", "Dedi", "Eka"]
    sentences = read_conll("".join(f"kata NOUN O\n{name} PROPN B-PER\n\n" for name in names))
    kept, held_out, held_out_names = disjoint_name_split(sentences, 0.4, seed=0)
    assert len(held_out_names) == 2 and len(held_out) == 2
    assert not {(s.tokens[1].lower(),) for s in kept} & held_out_names


def test_longer_model_name_replaces_a_known_name_inside_it(make_doc):
    doc = with_rule_entity(make_doc, "Serikat Nelayan Indonesia menolak aturan itu .", 2, 3, "COUNTRY", "gazetteer")
    add_model_ents(doc, [(0, 3, "ORG")])
    assert [(e.text, e.label_) for e in doc.ents] == [("Serikat Nelayan Indonesia", "ORG")]


def test_model_name_never_replaces_a_person_found_by_a_title(make_doc):
    doc = with_rule_entity(make_doc, "Menteri Budi Santoso Indonesia hadir .", 1, 3, "PERSON", "title")
    add_model_ents(doc, [(1, 4, "ORG")])
    assert [(e.text, e.label_) for e in doc.ents] == [("Budi Santoso", "PERSON")]


# Made-up sentence; neither name occurs in the training data, and no title or cue word announces the person.
UNTITLED_PERSON = "Dalam rapat itu , Sarinah Tumbelaka menjelaskan rencana pembangunan jembatan baru ."


def test_shipped_model_finds_a_new_person_named_without_a_title(nlp):
    assert ("Sarinah Tumbelaka", "PERSON") in [(e.text, e.label_) for e in nlp(UNTITLED_PERSON).ents]


def test_shipped_config_names_no_training_corpus():
    from thinc.api import Config

    paths = Config().from_disk(MODEL_DIR / "config.cfg", interpolate=False)["paths"]
    assert (paths["train"], paths["dev"]) == (None, None)


def test_shipped_lowercase_words_cover_the_gazetteer_common_words():
    from pipelines.nlp.model_ner import LOWERCASE_WORDS_FILE
    from pipelines.nlp.train_ner import COMMON_WORDS_PATH

    lines = COMMON_WORDS_PATH.read_text(encoding="utf-8").splitlines()
    common = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    shipped = set((MODEL_DIR / LOWERCASE_WORDS_FILE).read_text(encoding="utf-8").split())
    assert common <= shipped


def test_title_far_from_any_unexplained_name_is_not_read(recognizer, make_doc):
    doc = make_doc("kemarin Menteri Luar Negeri berbicara tentang harga beras di pasar .")
    assert recognizer.regions(doc) == []


def test_weekday_far_from_any_unexplained_name_is_not_read(recognizer, make_doc):
    doc = make_doc("harga beras naik tajam pada Senin pagi .")
    assert recognizer.regions(doc) == []


WEEKDAY_NEAR_NAME = "pada rapat itu Sarinah Tumbelaka hadir , Senin , untuk membahas harga beras dan gula di pasar ."


def test_weekday_near_an_unexplained_name_still_widens_the_window(recognizer, make_doc):
    words = WEEKDAY_NEAR_NAME.split(" ")
    doc = make_doc(WEEKDAY_NEAR_NAME)
    weekday = words.index("Senin")
    assert recognizer.regions(doc)[0][1] == min(len(words), weekday + recognizer.context + 2)


def test_weak_cue_right_after_a_rule_entity_is_read(recognizer, make_doc):
    doc = make_doc("dana itu dari Badan Usaha Milik Negara atau swasta .")
    doc.ents = [Span(doc, 3, 6, label="ORG")]
    assert recognizer.regions(doc) != []


def test_inflected_common_word_opening_a_sentence_is_not_a_cue(recognizer, make_doc):
    assert recognizer.regions(make_doc("Pasalnya harga beras naik tajam .")) == []


def test_reduplicated_common_word_opening_a_sentence_is_not_a_cue(recognizer, make_doc):
    assert recognizer.regions(make_doc("Proyek-proyek itu belum selesai .")) == []


def test_model_person_stops_before_a_bracket(make_doc):
    doc = make_doc("Lima terpidana , Darmaji Salim ( Nigeria ) , dieksekusi .")
    add_model_ents(doc, [(3, 8, "PER")])
    assert [(e.text, e.label_) for e in doc.ents] == [("Darmaji Salim", "PERSON")]


def test_model_person_in_brackets_keeps_only_the_name(make_doc):
    doc = make_doc("Gubernur Ardiansyah Putra ( Ardi ) hadir .")
    add_model_ents(doc, [(3, 6, "PER")])
    assert [e.text for e in doc.ents] == ["Ardi"]


def test_model_span_loses_a_closing_bracket_it_does_not_open(make_doc):
    doc = make_doc("Koperasi Tani Makmur ( KTM ) Garut menolak .")
    add_model_ents(doc, [(4, 6, "ORG")])
    assert [e.text for e in doc.ents] == ["KTM"]


def test_model_organization_keeps_its_bracketed_acronym(make_doc):
    doc = make_doc("Ikatan Petani Kopi ( IPK ) menolak .")
    add_model_ents(doc, [(0, 5, "ORG")])
    assert [e.text for e in doc.ents] == ["Ikatan Petani Kopi ( IPK"]


def test_model_person_does_not_swallow_the_country_before_it(make_doc):
    text = "ahli botani Belanda Joost Verhagen meneliti mutasi ."
    doc = with_rule_entity(make_doc, text, 2, 3, "COUNTRY", "gazetteer")
    add_model_ents(doc, [(2, 5, "PER")])
    assert [(e.text, e.label_) for e in doc.ents] == [("Belanda", "COUNTRY"), ("Joost Verhagen", "PERSON")]


def test_model_person_ending_in_a_rule_entity_is_dropped(make_doc):
    doc = with_rule_entity(make_doc, "Presiden Terpilih Joko Widodo datang .", 2, 4, "PERSON", "title")
    add_model_ents(doc, [(1, 4, "PER")])
    assert [e.text for e in doc.ents] == ["Joko Widodo"]


def test_model_person_may_start_with_a_one_word_city(make_doc):
    doc = with_rule_entity(make_doc, "polisi menemukan Aden Hashi Ayro di sana .", 2, 3, "PLACE", "gazetteer")
    add_model_ents(doc, [(2, 5, "PER")])
    assert [(e.text, e.label_) for e in doc.ents] == [("Aden Hashi Ayro", "PERSON")]


def test_word_initials_finds_a_sentences_first_word_and_its_capitalised_words():
    words = ["«", "harga", "di", "Pekanbaru", "naik", ".", "12", "Menurut", "Ani", "Élise", "x"]
    initials = WordInitials(words)
    assert (initials.first_letter(0, 6), initials.first_letter(5, 11)) == (1, 7)
    assert (initials.capitalised(0, 6), initials.capitalised(5, 10)) == ([3], [7, 8, 9])


# Made-up sentences that share words, so the embedding cache both fills and is read.
CACHED_SENTENCES = [
    "Menteri Perdagangan Rudi Hartono bertemu Duta Besar Peru di Jakarta .",
    "Rudi Hartono mengatakan Jakarta dan Lima akan memperluas perdagangan .",
]


def tok2vec_rows(trained, sentences):
    docs = [Doc(trained.vocab, words=sentence.split()) for sentence in sentences]
    return trained.get_pipe("tok2vec").model.predict(docs)


def test_embedding_cache_reproduces_the_embedding_layer_exactly():
    trained = spacy.load(MODEL_DIR)
    expected = tok2vec_rows(trained, CACHED_SENTENCES)
    assert install_embedding_cache(trained)
    for _ in range(2):  # the second pass reads every row back from the cache
        got = tok2vec_rows(trained, CACHED_SENTENCES)
        assert all(numpy.array_equal(a, b) for a, b in zip(expected, got, strict=True))


def test_embedding_cache_empties_itself_past_its_bound():
    trained = spacy.load(MODEL_DIR)
    embed = trained.get_pipe("tok2vec").model.layers[0]
    first, second = ([Doc(trained.vocab, words=sentence.split())] for sentence in CACHED_SENTENCES)
    cache = EmbeddingCache(embed, max_words=15)
    cache(first)
    rows = cache(second)  # its new words would pass the bound: the cache starts over with this batch's words
    assert set(cache.row_of) == {token.orth for token in second[0]}
    assert numpy.array_equal(embed.predict(second)[0], rows[0])


def test_embedding_cache_is_only_for_embeddings_of_the_word_alone():
    config = {"@architectures": "spacy.MultiHashEmbed.v2", "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"]}
    assert embeds_words_alone(config)
    assert not embeds_words_alone({**config, "attrs": ["NORM", "ENT_TYPE"]})
    assert not embeds_words_alone({**config, "include_static_vectors": True})


def test_model_layers_multiply_with_numpy_on_one_blas_thread(recognizer):
    for _, component in recognizer.trained.pipeline:
        assert all(not getattr(node.ops, "use_blis", False) for node in component.model.walk())
    assert all(pool["num_threads"] == 1 for pool in threadpool_info() if pool["user_api"] == "blas")
