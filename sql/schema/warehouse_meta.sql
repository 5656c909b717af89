-- Key/value facts about the warehouse itself (schema and pipeline versions, last run).
CREATE TABLE IF NOT EXISTS warehouse_meta (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);
