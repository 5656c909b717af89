-- Key (commitment_id, entity_id, role): unique. No index: an index on a per-article
-- table lives in the writer's memory and grows with the corpus. The asset check party_keys_unique enforces it.
CREATE TABLE IF NOT EXISTS commitment_parties (
    commitment_id  VARCHAR NOT NULL,
    article_id     VARCHAR NOT NULL,  -- denormalised so an article's rows can be replaced in one statement
    entity_id      VARCHAR NOT NULL,
    role           VARCHAR NOT NULL  -- actor | target
);
