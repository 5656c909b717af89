"""pipelines.nlp.speed: the texts the speed benchmark reads."""

from pipelines.nlp.speed import NEWS_SENTENCES_PER_DOC, news_texts


def write_conll(path, n_sentences):
    blocks = [f"Kalimat O O\nke-{i} O O\n. O O" for i in range(n_sentences)]
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


def test_news_texts_group_sentences_into_article_length_docs(tmp_path):
    texts = news_texts(write_conll(tmp_path / "gold.txt", NEWS_SENTENCES_PER_DOC + 5))
    sentences_per_doc = [text.count("Kalimat") for text, _ in texts]
    assert sentences_per_doc == [NEWS_SENTENCES_PER_DOC, 5]


def test_news_paragraph_bounds_are_the_paragraphs_of_the_text(tmp_path):
    text, bounds = news_texts(write_conll(tmp_path / "gold.txt", 7))[0]
    assert [text[start:end] for start, end in bounds] == text.split("\n\n")
