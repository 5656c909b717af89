CREATE TABLE IF NOT EXISTS commitment_parties (
    commitment_id  VARCHAR NOT NULL,
    article_id     VARCHAR NOT NULL,  -- denormalised so an article's rows can be replaced in one statement
    entity_id      VARCHAR NOT NULL,
    role           VARCHAR NOT NULL,  -- actor | target
    PRIMARY KEY (commitment_id, entity_id, role)
);
