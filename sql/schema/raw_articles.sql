-- The inbox manifest: one row per file currently in the inbox, with what was last done with it.
CREATE TABLE IF NOT EXISTS raw_articles (
    source_path        VARCHAR PRIMARY KEY,  -- path relative to the inbox
    size_bytes         BIGINT NOT NULL,
    modified_at        TIMESTAMP,            -- file mtime (UTC)
    content_sha256     VARCHAR,              -- NULL when the file could not be read
    encoding           VARCHAR,              -- how the bytes were decoded (utf-8, utf-16-le, cp1252, …)
    status             VARCHAR NOT NULL,     -- pending | loaded | quarantined | duplicate | unreadable
    article_id         VARCHAR,              -- the article this file became (or duplicates)
    processed_sha256   VARCHAR,              -- content hash at the last extraction
    processed_version  VARCHAR,              -- pipeline version at the last extraction
    first_seen_at      TIMESTAMP NOT NULL,
    last_seen_at       TIMESTAMP NOT NULL
);
