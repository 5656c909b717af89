"""Every SQL example in the README runs as written against a warehouse built from the demo corpus."""

import re

import duckdb
import pytest

from pipelines.config import REPO_DIR
from tests.integration.harness import materialize

QUERIES = re.findall(r"```sql\n(.*?)```", (REPO_DIR / "README.md").read_text(encoding="utf-8"), flags=re.S)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("wh") / "ikrar.duckdb"
    materialize(REPO_DIR / "seeds" / "articles", warehouse)
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()


def test_readme_has_at_least_five_example_queries():
    assert len(QUERIES) >= 5


@pytest.mark.parametrize("sql", QUERIES, ids=[f"query{i}" for i in range(len(QUERIES))])
def test_readme_query_runs_and_returns_rows(con, sql):
    rows = con.execute(sql).fetchall()
    assert isinstance(rows, list)
    # The failures example may legitimately be empty on the clean demo corpus; every other one has answers.
    if "severity = 'error'" not in sql:
        assert rows, f"no rows for:\n{sql}"
