-- One row per entity across all articles (rebuilt from entity_observations by sql/marts/entities.sql).
-- entity_id is unique by construction (an entity's row is deleted before it is aggregated again, in the same
-- transaction) and checked by the entity_ids_unique asset check; not a PRIMARY KEY for the reason articles.sql gives.
CREATE TABLE IF NOT EXISTS entities (
    entity_id       VARCHAR NOT NULL,     -- stable: country:CHN, person:xi-jinping, org:sco, place:astana, event:…
    entity_type     VARCHAR NOT NULL,
    canonical_name  VARCHAR NOT NULL,
    country_iso3    VARCHAR,              -- a COUNTRY's ISO 3166 alpha-3, or the affiliation of a PERSON/ORG/PLACE
    role            VARCHAR,              -- a PERSON's title as the text gives it (Presiden, Menteri Luar Negeri, …)
    aliases         VARCHAR[] NOT NULL,   -- every surface form seen
    n_articles      INTEGER NOT NULL,
    n_mentions      INTEGER NOT NULL
);
