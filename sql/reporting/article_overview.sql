-- article_overview: one row per article with its metadata and how much was extracted from it.
CREATE OR REPLACE VIEW article_overview AS
SELECT a.article_id, a.source_path, a.language, a.published_date, a.dateline_place, a.reporter, a.editor,
       a.n_paragraphs, a.n_sentences, a.n_tokens,
       (SELECT count(*) FROM entity_mentions m WHERE m.article_id = a.article_id)  AS n_mentions,
       (SELECT count(*) FROM commitments c WHERE c.article_id = a.article_id)      AS n_commitments,
       (SELECT count(*) FROM ingest_issues i WHERE i.content_sha256 = a.content_sha256
                                             AND i.severity = 'warning')          AS n_warnings,
       a.pipeline_version, a.processed_at
FROM articles a;
