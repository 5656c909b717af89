-- commitment_facts: one row per commitment with everything an analyst reads next to it —
-- when and where it was published, who said it, who is committed, toward whom, and the evidence.
CREATE OR REPLACE VIEW commitment_facts AS
WITH parties AS (
    SELECT p.commitment_id,
           list(p.entity_id ORDER BY p.entity_id) FILTER (WHERE p.role = 'actor')        AS actor_ids,
           list(e.canonical_name ORDER BY p.entity_id) FILTER (WHERE p.role = 'actor')   AS actor_names,
           list(p.entity_id ORDER BY p.entity_id) FILTER (WHERE p.role = 'target')       AS target_ids,
           list(e.canonical_name ORDER BY p.entity_id) FILTER (WHERE p.role = 'target')  AS target_names
    FROM commitment_parties p
    LEFT JOIN entities e USING (entity_id)
    GROUP BY p.commitment_id
)
SELECT c.commitment_id,
       c.article_id,
       a.published_date,
       a.dateline_place,
       a.language,
       a.source_path,
       c.sentence_index,
       s.canonical_name                         AS speaker,
       c.speaker_entity_id,
       coalesce(p.actor_names, [])              AS actors,
       coalesce(p.actor_ids, [])                AS actor_ids,
       coalesce(p.target_names, [])             AS targets,
       coalesce(p.target_ids, [])               AS target_ids,
       c.modality,
       c.negated,
       c.status,
       c.domains,
       c.trigger_text,
       c.action_text,
       c.evidence_text,
       c.confidence,
       c.start_char,
       c.end_char
FROM commitments c
JOIN articles a USING (article_id)
LEFT JOIN entities s ON s.entity_id = c.speaker_entity_id
LEFT JOIN parties p USING (commitment_id);
