# SPDX-License-Identifier: AGPL-3.0-or-later
"""Scandinavian full-text search over the directory (issue 5).

Public interface, stable for other apps (importers, services, generate):

- ``reindex(organisation_ids)``: bring the search index up to date for these
  organisations (created, changed or deleted). Set-based and batched; safe to
  call with hundreds of thousands of ids.
- ``rebuild()``: re-create the whole index from the directory tables.
- ``search(...)``: run a query (see ``samverka.directory.search.query``).
"""

from collections.abc import Iterable


def reindex(organisation_ids: Iterable[int]) -> None:
    """Re-index these organisations; ids that no longer exist are dropped."""
    from samverka.directory.search import index

    index.reindex(organisation_ids)


def rebuild() -> None:
    """Empty the search index and index every organisation again."""
    from samverka.directory.search import index

    index.rebuild()


def search(*args, **kwargs):
    """Run a search; see ``samverka.directory.search.query.search``."""
    from samverka.directory.search import query

    return query.search(*args, **kwargs)
