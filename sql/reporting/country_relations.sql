-- country_relations: directed actor → target pairs between countries (capitals resolve to countries
-- upstream), with counts per modality; the backbone of a "who commits to whom" network.
CREATE OR REPLACE VIEW country_relations AS
SELECT a.entity_id  AS actor_id,
       ea.canonical_name AS actor,
       t.entity_id  AS target_id,
       et.canonical_name AS target,
       c.modality,
       count(*)     AS n_commitments,
       min(ar.published_date) AS first_date,
       max(ar.published_date) AS last_date
FROM commitments c
JOIN articles ar USING (article_id)
JOIN commitment_parties a ON a.commitment_id = c.commitment_id AND a.role = 'actor'
JOIN commitment_parties t ON t.commitment_id = c.commitment_id AND t.role = 'target'
JOIN entities ea ON ea.entity_id = a.entity_id AND ea.entity_type = 'COUNTRY'
JOIN entities et ON et.entity_id = t.entity_id AND et.entity_type = 'COUNTRY'
WHERE a.entity_id <> t.entity_id
GROUP BY ALL;
