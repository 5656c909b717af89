-- One row per distinct article (distinct content); offsets elsewhere point into body_text.
CREATE TABLE IF NOT EXISTS articles (
    article_id        VARCHAR PRIMARY KEY,  -- first 16 hex digits of content_sha256
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
