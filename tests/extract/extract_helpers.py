"""Helpers shared by the test_extract_* modules (a plain module: pytest imports conftest files itself)."""

from __future__ import annotations

from conflictwatch.article import Article


def make_article(body: str, *, id: str = "t1", published: str | None = "2023-06-15T10:00:00+00:00",
                 title: str | None = None) -> Article:
    return Article(id=id, body=body, published_at=published, title=title)
