-- entities: one row per entity_id of _ikrar_entity_scope (every entity, or those whose observations changed),
-- aggregated over every article's observations of it.
-- The most-mentioned name, role and affiliation win (ties: the longer, then alphabetical), so the
-- result depends only on the data, never on load order.
INSERT INTO entities BY NAME
WITH
observations AS (
    SELECT * FROM entity_observations WHERE entity_id IN (SELECT entity_id FROM _ikrar_entity_scope)
),
names AS (
    SELECT entity_id, canonical_name,
           row_number() OVER (PARTITION BY entity_id
                              ORDER BY sum(n_mentions) DESC, length(canonical_name) DESC, canonical_name) AS pick
    FROM observations
    GROUP BY entity_id, canonical_name
),
types AS (
    SELECT entity_id, entity_type,
           row_number() OVER (PARTITION BY entity_id ORDER BY sum(n_mentions) DESC, entity_type) AS pick
    FROM observations
    GROUP BY entity_id, entity_type
),
roles AS (
    SELECT entity_id, role,
           row_number() OVER (PARTITION BY entity_id ORDER BY count(*) DESC, length(role) DESC, role) AS pick
    FROM observations
    WHERE role IS NOT NULL
    GROUP BY entity_id, role
),
countries AS (
    SELECT entity_id, country_iso3,
           row_number() OVER (PARTITION BY entity_id ORDER BY count(*) DESC, country_iso3) AS pick
    FROM observations
    WHERE country_iso3 IS NOT NULL
    GROUP BY entity_id, country_iso3
),
totals AS (
    SELECT entity_id,
           count(DISTINCT article_id) AS n_articles,
           sum(n_mentions) AS n_mentions,
           list_sort(list_distinct(flatten(list(aliases)))) AS aliases
    FROM observations
    GROUP BY entity_id
)
SELECT t.entity_id, ty.entity_type, n.canonical_name, c.country_iso3, r.role, t.aliases,
       t.n_articles, t.n_mentions
FROM totals t
JOIN names n ON n.entity_id = t.entity_id AND n.pick = 1
JOIN types ty ON ty.entity_id = t.entity_id AND ty.pick = 1
LEFT JOIN roles r ON r.entity_id = t.entity_id AND r.pick = 1
LEFT JOIN countries c ON c.entity_id = t.entity_id AND c.pick = 1
ORDER BY t.entity_id;
