-- entity_summary: each entity with how often and over which dates it appears, and its commitment roles.
CREATE OR REPLACE VIEW entity_summary AS
WITH mentions AS (
    SELECT m.entity_id,
           count(*)                      AS n_mentions,
           count(DISTINCT m.article_id)  AS n_articles,
           min(a.published_date)         AS first_date,
           max(a.published_date)         AS last_date
    FROM entity_mentions m
    JOIN articles a USING (article_id)
    GROUP BY m.entity_id
),
roles AS (
    SELECT entity_id,
           count(*) FILTER (WHERE role = 'actor')   AS n_as_actor,
           count(*) FILTER (WHERE role = 'target')  AS n_as_target
    FROM commitment_parties
    GROUP BY entity_id
),
spoken AS (
    SELECT speaker_entity_id AS entity_id, count(*) AS n_as_speaker
    FROM commitments
    WHERE speaker_entity_id IS NOT NULL
    GROUP BY speaker_entity_id
)
SELECT e.entity_id, e.entity_type, e.canonical_name, e.country_iso3, e.role,
       coalesce(m.n_mentions, 0)    AS n_mentions,
       coalesce(m.n_articles, 0)    AS n_articles,
       m.first_date, m.last_date,
       coalesce(sp.n_as_speaker, 0) AS n_as_speaker,
       coalesce(r.n_as_actor, 0)    AS n_as_actor,
       coalesce(r.n_as_target, 0)   AS n_as_target
FROM entities e
LEFT JOIN mentions m USING (entity_id)
LEFT JOIN roles r USING (entity_id)
LEFT JOIN spoken sp USING (entity_id);
