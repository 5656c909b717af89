CREATE TABLE IF NOT EXISTS sentences (
    article_id       VARCHAR NOT NULL,
    sentence_index   INTEGER NOT NULL,  -- 0-based, in body order
    paragraph_index  INTEGER NOT NULL,  -- 0-based; paragraph 0 follows the dateline
    start_char       INTEGER NOT NULL,  -- offsets into articles.body_text
    end_char         INTEGER NOT NULL,
    text             VARCHAR NOT NULL,
    PRIMARY KEY (article_id, sentence_index)
);
