-- What each article says about each entity it mentions; entities is aggregated from it.
CREATE TABLE IF NOT EXISTS entity_observations (
    article_id      VARCHAR NOT NULL,
    entity_id       VARCHAR NOT NULL,
    entity_type     VARCHAR NOT NULL,
    canonical_name  VARCHAR NOT NULL,
    country_iso3    VARCHAR,
    role            VARCHAR,
    aliases         VARCHAR[] NOT NULL,  -- distinct surface forms in this article
    n_mentions      INTEGER NOT NULL,
    PRIMARY KEY (article_id, entity_id)
);
