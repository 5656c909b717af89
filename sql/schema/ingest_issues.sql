-- What went wrong or was repaired, per input file; rows describe the inbox as it is now.
CREATE TABLE IF NOT EXISTS ingest_issues (
    source_path     VARCHAR NOT NULL,
    content_sha256  VARCHAR,
    severity        VARCHAR NOT NULL,  -- error (quarantined) | warning (loaded, repaired or guessed) | info
    code            VARCHAR NOT NULL,  -- stable identifier, listed in the README
    message         VARCHAR NOT NULL,
    seen_at         TIMESTAMP NOT NULL
);
