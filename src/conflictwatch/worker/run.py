"""Start the worker: topics, extractor, alert engine, then the Faust worker loop."""

from __future__ import annotations

import logging
import logging.config

from ..config import Settings
from ..logs import logging_config
from ..runtime import resolve_bootstrap
from ..topics import create_topics


def build_engine_factory(settings: Settings):
    from ..alerts import AlertEngine, load_rules

    rules = load_rules(settings.rules_file or None, overrides=settings.rule_overrides())

    def make_engine(tracks, incidents, windows):
        return AlertEngine(rules, tracks=tracks, incidents=incidents, windows=windows)

    return make_engine


def run_worker(settings: Settings, loglevel: str = "warning") -> int:
    import faust

    from ..extract import Extractor
    from .app import create_app
    from .emitted import emitted_ids

    # JSON lines from the first message on (model loading), and the same config for
    # Faust's worker, which otherwise replaces the root handlers with its own.
    logging.config.dictConfig(logging_config(loglevel))
    bootstrap = resolve_bootstrap(settings)
    create_topics(settings, bootstrap)
    extractor = Extractor(settings.spacy_model, processes=settings.nlp_processes, batch_size=settings.batch_size,
                          gazetteer_cache=settings.gazetteer_cache)
    emitted = emitted_ids(settings, bootstrap)  # read at the first partition assignment
    app = create_app(settings, bootstrap, extractor, build_engine_factory(settings), emitted)
    worker = faust.Worker(app, loglevel=loglevel, quiet=True, logging_config=logging_config(loglevel))
    worker.execute_from_commandline()  # returns on SIGTERM/SIGINT after a clean shutdown
    return 0
