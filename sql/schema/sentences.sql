-- Key (article_id, sentence_index): unique. No index: an index on a per-article
-- table lives in the writer's memory and grows with the corpus. The asset check sentence_keys_unique enforces it.
CREATE TABLE IF NOT EXISTS sentences (
    article_id       VARCHAR NOT NULL,
    sentence_index   INTEGER NOT NULL,  -- 0-based, in body order
    paragraph_index  INTEGER NOT NULL,  -- 0-based; paragraph 0 follows the dateline
    start_char       INTEGER NOT NULL,  -- offsets into articles.body_text
    end_char         INTEGER NOT NULL,
    text             VARCHAR NOT NULL
);
