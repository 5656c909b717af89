-- Key commitment_id: unique. No index: an index on a per-article
-- table lives in the writer's memory and grows with the corpus. The asset check commitment_ids_unique enforces it.
CREATE TABLE IF NOT EXISTS commitments (
    commitment_id      VARCHAR NOT NULL,     -- stable hash of article_id and the evidence and trigger offsets
    article_id         VARCHAR NOT NULL,
    sentence_index     INTEGER NOT NULL,
    start_char         INTEGER NOT NULL,     -- evidence span, offsets into articles.body_text
    end_char           INTEGER NOT NULL,
    evidence_text      VARCHAR NOT NULL,     -- = body_text[start_char:end_char]
    speaker_entity_id  VARCHAR,              -- who said it; NULL when the narrator states it
    modality           VARCHAR NOT NULL,     -- obligation | intent | readiness | support | call | agreement | pledge
    trigger_text       VARCHAR NOT NULL,
    trigger_start      INTEGER NOT NULL,
    trigger_end        INTEGER NOT NULL,
    action_text        VARCHAR NOT NULL,
    domains            VARCHAR[] NOT NULL,
    negated            BOOLEAN NOT NULL,
    status             VARCHAR NOT NULL,     -- future | past
    confidence         DOUBLE NOT NULL
);
