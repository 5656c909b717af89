-- Key (article_id, entity_id): unique. No index: an index on a per-article
-- table lives in the writer's memory and grows with the corpus. The asset check observation_keys_unique enforces it.
-- What each article says about each entity it mentions; entities is aggregated from it.
CREATE TABLE IF NOT EXISTS entity_observations (
    article_id      VARCHAR NOT NULL,
    entity_id       VARCHAR NOT NULL,
    entity_type     VARCHAR NOT NULL,
    canonical_name  VARCHAR NOT NULL,
    country_iso3    VARCHAR,
    role            VARCHAR,
    aliases         VARCHAR[] NOT NULL,  -- distinct surface forms in this article
    n_mentions      INTEGER NOT NULL
);
