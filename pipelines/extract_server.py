"""Imported once, by the fork server that starts every extraction worker (see ``pipelines.ingest``).

Importing this module builds every language's spaCy pipeline (and reads the DDL and the pipeline version), so
each worker the server forks starts with them loaded, sharing their pages with its siblings. The server is a
fresh interpreter: it never holds the warehouse writer's memory, however large that grows during a run.
"""

import gc

from pipelines.config import pipeline_version
from pipelines.ingest import load_pipelines
from pipelines.warehouse import ddl_schemas

load_pipelines()
ddl_schemas()
pipeline_version()
# The loaded pipelines are never freed: keeping them out of the collector's generations spares the workers from
# writing to (and so copying) every page that holds them when they collect garbage.
gc.freeze()
