-- ingest_issue_summary: what went wrong with the inbox, by severity and code.
CREATE OR REPLACE VIEW ingest_issue_summary AS
SELECT severity, code, count(*) AS n_files, min(source_path) AS example_path, min(message) AS example_message
FROM ingest_issues
GROUP BY severity, code;
