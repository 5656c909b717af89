-- Key (article_id, start_char, end_char): unique. No index: an index on a per-article
-- table lives in the writer's memory and grows with the corpus. The asset check mention_keys_unique enforces it.
CREATE TABLE IF NOT EXISTS entity_mentions (
    article_id      VARCHAR NOT NULL,
    sentence_index  INTEGER NOT NULL,
    start_char      INTEGER NOT NULL,  -- offsets into articles.body_text
    end_char        INTEGER NOT NULL,
    mention_text    VARCHAR NOT NULL,  -- = body_text[start_char:end_char]
    entity_id       VARCHAR NOT NULL,  -- entities.entity_id
    entity_type     VARCHAR NOT NULL,  -- PERSON | COUNTRY | PLACE | ORG | EVENT
    source          VARCHAR  -- how it was found: gazetteer | title | pattern | model | coref
);
