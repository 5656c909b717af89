-- One row per distinct article (distinct content); offsets elsewhere point into body_text.
-- article_id is unique by construction (an article's rows are deleted before it is loaded again, in the same
-- transaction) and checked by the article_ids_unique asset check. It is not declared a PRIMARY KEY: DuckDB
-- rewrites a key's whole index at every checkpoint where the table changed, which cost an incremental run
-- (100 new articles on 10,000) a fifth of its time for this table and entities.
CREATE TABLE IF NOT EXISTS articles (
    article_id        VARCHAR NOT NULL,     -- first 16 hex digits of content_sha256; unique (see below)
    source_path       VARCHAR NOT NULL,     -- inbox-relative path (the first name, if the content has several)
    content_sha256    VARCHAR NOT NULL,
    language          VARCHAR NOT NULL,     -- id | en
    agency            VARCHAR,
    dateline_place    VARCHAR,
    published_date    DATE,
    title             VARCHAR,
    reporter          VARCHAR,
    editor            VARCHAR,
    translator        VARCHAR,
    copyright_year    INTEGER,
    body_text         VARCHAR NOT NULL,
    n_paragraphs      INTEGER NOT NULL,
    n_sentences       INTEGER NOT NULL,
    n_tokens          INTEGER NOT NULL,
    encoding          VARCHAR,
    pipeline_version  VARCHAR NOT NULL,
    processed_at      TIMESTAMP NOT NULL
);
