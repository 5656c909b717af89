"""customize_tokenizer: reduplications stay whole, names joined by hyphens are split."""

import pytest
import spacy

from pipelines.nlp.tokenizer import customize_tokenizer


@pytest.fixture(scope="module")
def nlp_id():
    nlp = spacy.blank("id")
    customize_tokenizer(nlp)
    return nlp


@pytest.fixture(scope="module")
def nlp_en():
    nlp = spacy.blank("en")
    customize_tokenizer(nlp)
    return nlp


def words(nlp, text):
    return [token.text for token in nlp.make_doc(text)]


@pytest.mark.parametrize("word", ["negara-negara", "sela-sela", "bidang-bidang", "proyek-proyek", "ibu-ibu"])
def test_full_reduplication_is_one_token(nlp_id, word):
    assert words(nlp_id, f"di {word} itu") == ["di", word, "itu"]


@pytest.mark.parametrize("word", ["sebaik-baiknya", "bersama-sama", "kemerah-merahan", "hasil-hasilnya"])
def test_affixed_reduplication_is_one_token(nlp_id, word):
    assert words(nlp_id, word) == [word]


@pytest.mark.parametrize("word", ["Negara-negara", "NEGARA-NEGARA", "Sela-Sela"])
def test_capitalised_reduplication_is_one_token(nlp_id, word):
    assert words(nlp_id, word) == [word]


def test_lowercase_compound_is_one_token(nlp_id):
    assert words(nlp_id, "saling tolong-menolong") == ["saling", "tolong-menolong"]


def test_reduplication_keeps_following_punctuation_separate(nlp_id):
    assert words(nlp_id, "proyek-proyek, dan") == ["proyek-proyek", ",", "dan"]


@pytest.mark.parametrize("text, expected", [("China-Tajikistan", ["China", "-", "Tajikistan"]),
                                            ("China-Asia", ["China", "-", "Asia"]),
                                            ("RI-Malaysia", ["RI", "-", "Malaysia"])])
def test_names_joined_by_a_hyphen_are_split(nlp_id, text, expected):
    assert words(nlp_id, text) == expected


def test_lowercase_prefix_before_a_name_is_split(nlp_id):
    assert words(nlp_id, "anti-Jepang") == ["anti", "-", "Jepang"]


def test_enclitic_after_a_hyphen_is_still_split_off(nlp_id):
    assert words(nlp_id, "KTT-nya") == ["KTT", "-nya"]


def test_parenthesised_relative_date_is_tokenised(nlp_id):
    assert words(nlp_id, "Selasa (17/6).") == ["Selasa", "(", "17", "/", "6", ")", "."]


def test_number_in_brackets_is_not_an_emoticon(nlp_id):
    assert words(nlp_id, "butir (8) dan") == ["butir", "(", "8", ")", "dan"]


def test_abbreviation_special_cases_are_kept(nlp_id):
    assert words(nlp_id, "Dr. Ahmad") == ["Dr.", "Ahmad"]


def test_reduplication_special_cases_are_removed(nlp_id):
    assert not [orth for orth in nlp_id.tokenizer.rules if "negara-negara" in orth.lower()]


def test_english_name_before_a_participle_is_split(nlp_en):
    assert words(nlp_en, "China-funded") == ["China", "-", "funded"]


def test_english_lowercase_compound_is_one_token(nlp_en):
    assert words(nlp_en, "long-term") == ["long-term"]


def test_hyphen_after_an_abbreviation_is_split(nlp_en):
    assert words(nlp_en, "U.S.-China talks") == ["U.S.", "-", "China", "talks"]


def test_customised_tokenizer_survives_serialisation(nlp_id):
    restored = spacy.blank("id")
    restored.tokenizer.from_bytes(nlp_id.tokenizer.to_bytes())
    assert words(restored, "negara-negara China-Asia") == ["negara-negara", "China", "-", "Asia"]


def test_the_tokenizer_cache_has_room_for_article_words(nlp_id):
    from pipelines.nlp.tokenizer import TOKENIZER_CACHE_SIZE

    assert nlp_id.tokenizer.max_cache_size >= TOKENIZER_CACHE_SIZE


def test_built_pipeline_still_caches_article_words():
    """The lexicons tokenized while the components are built must not use up the tokenizer cache."""
    import cProfile
    import pstats

    from pipelines.nlp.pipeline import build_nlp

    nlp = build_nlp("id", use_model=False)
    text = " ".join(f"kataunik{i}" for i in range(50))
    nlp.make_doc(text)
    profile = cProfile.Profile()
    profile.runcall(nlp.make_doc, text)
    calls = pstats.Stats(profile).stats
    split_again = sum(v[1] for (path, _, name), v in calls.items() if name == "_tokenize" and "tokenizer" in path)
    assert split_again == 0


@pytest.mark.parametrize("lang", ["id", "en"])
def test_grouped_prefix_expression_matches_the_stock_one(lang):
    from pipelines.nlp.tokenizer import group_anchored_branches

    stock = spacy.blank(lang).tokenizer.prefix_search.__self__
    grouped = group_anchored_branches(stock)
    samples = ["(Jakarta", "US$5", "Rp10", "...lalu", "<a href=x>", "kata<a b>", "<br/>x", '"Kami', "'90", "kata"]
    for text in samples:
        found, expected = grouped.search(text), stock.search(text)
        assert (found and found.span()) == (expected and expected.span()), text


def test_split_alternatives_ignores_bars_in_groups_and_classes():
    from pipelines.nlp.tokenizer import split_alternatives

    assert split_alternatives(r"^a|^(b|c)|[|\]]|\|d") == ["^a", "^(b|c)", r"[|\]]", r"\|d"]


def _has_hash(text: str) -> bool:
    return "#" in text


def test_lexeme_flag_marks_words_that_enter_the_vocab_later():
    from pipelines.nlp.tokenizer import LexemeFlag

    nlp = spacy.blank("id")
    flag = LexemeFlag(60, _has_hash)
    flag.ensure(nlp.vocab)
    doc = nlp.make_doc("tagar #ikrarbaru hari ini")
    assert flag.array(doc).tolist() == [0, 1, 0, 0]


def test_lexeme_flag_refuses_a_bit_another_property_uses():
    from pipelines.nlp.tokenizer import LexemeFlag

    nlp = spacy.blank("id")
    LexemeFlag(60, _has_hash).ensure(nlp.vocab)
    with pytest.raises(ValueError, match="already used"):
        LexemeFlag(60, str.isupper).ensure(nlp.vocab)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_news_tokenizer_keeps_the_special_cases_customize_tokenizer_keeps(lang, nlp_id, nlp_en):
    customized = {"id": nlp_id, "en": nlp_en}[lang]
    built = spacy.blank(lang, config={"nlp": {"tokenizer": {"@tokenizers": "ikrar.news_tokenizer.v1"}}})
    assert built.tokenizer.rules == customized.tokenizer.rules


def test_news_tokenizer_splits_like_customize_tokenizer(nlp_id):
    built = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "ikrar.news_tokenizer.v1"}}})
    text = 'Dr. Sutrisno (Jakarta) bilang: "Negara-negara China-Tajikistan dll. sebaik-baiknya," (8/3).'
    assert words(built, text) == words(nlp_id, text)
