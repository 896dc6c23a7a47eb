"""`python -m pipeline review …`: run the review app, export and import decisions.

    review [serve]              the local web app (default)
    review export               decisions.jsonl + CoNLL IOB2, spaCy DocBin, Label Studio JSON
    review import-labelstudio   Label Studio annotations → decisions
    review restore              rebuild a database from decisions.jsonl
    review agreement            inter-annotator agreement as JSON
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from pipeline import atomic
from pipeline.config import stage_settings
from pipeline.errors import PipelineError
from pipeline.review.settings import ReviewSettings

FORMATS = ("jsonl", "conll", "docbin", "labelstudio")


def _common(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument("--db", default=default, help="SQLite decision store (default: params.yaml review.db, "
                        "corpus/annotations/review.sqlite)")
    parser.add_argument("--outputs", default=default, help="pipeline outputs directory (default: outputs)")
    parser.add_argument("--jsonl", default=default, help="text export of all decisions "
                        "(default: corpus/annotations/decisions.jsonl)")


def register(subparsers: Any) -> None:
    """Add the `review` command and its subcommands."""
    parser = subparsers.add_parser(
        "review", help="annotators' review app and decision exports",
        description="Review extracted entities in a local web app. Every decision is committed to a SQLite "
                    "store (WAL, synchronous=FULL) before it is acknowledged, and mirrored to decisions.jsonl.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    _common(parser, None)
    _serve_options(parser, None)
    parser.set_defaults(func=serve)
    sub = parser.add_subparsers(dest="review_command", metavar="SUBCOMMAND")

    p = sub.add_parser("serve", help="run the web app (the default)", argument_default=argparse.SUPPRESS)
    _common(p, argparse.SUPPRESS)
    _serve_options(p, argparse.SUPPRESS)
    p.set_defaults(func=serve)

    p = sub.add_parser("export", help="write decisions.jsonl and the exports for other tools",
                       argument_default=argparse.SUPPRESS)
    _common(p, argparse.SUPPRESS)
    p.add_argument("--formats", default=",".join(FORMATS), help=f"comma-separated subset of {FORMATS}")
    p.add_argument("--out-dir", default="outputs/review", help="where CoNLL, DocBin and Label Studio files go")
    p.add_argument("--from-jsonl", action="store_true", default=False,
                   help="build the exports from decisions.jsonl alone, not the database (for DVC)")
    p.set_defaults(func=export)

    p = sub.add_parser("import-labelstudio", help="store Label Studio annotations as decisions",
                       argument_default=argparse.SUPPRESS)
    _common(p, argparse.SUPPRESS)
    p.add_argument("file", help="Label Studio JSON export (tasks with annotations)")
    p.add_argument("--annotator", default="labelstudio", help="name for annotations without completed_by")
    p.set_defaults(func=import_ls)

    p = sub.add_parser("restore", help="rebuild (or merge into) a database from decisions.jsonl",
                       argument_default=argparse.SUPPRESS)
    p.add_argument("file", help="decisions.jsonl to read")
    p.add_argument("--db", required=True, help="database to create or merge into")
    p.set_defaults(func=restore)

    p = sub.add_parser("agreement", help="write inter-annotator agreement as JSON",
                       argument_default=argparse.SUPPRESS)
    _common(p, argparse.SUPPRESS)
    p.add_argument("--out", default="outputs/review/agreement.json", help="where to write it")
    p.set_defaults(func=agreement_cmd)


def _serve_options(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument("--host", default=default, help="address to listen on (default 127.0.0.1; anything else "
                        "needs an access token)")
    parser.add_argument("--port", type=int, default=default, help="port (default 8765; 0 picks a free one)")
    parser.add_argument("--annotator", default=default, help="default annotator name for this server")
    parser.add_argument("--token", default=default, help="access token (default: the REVIEW_TOKEN env var)")
    parser.add_argument("--verbose", action="store_true", default=default, help="log every request")
    parser.add_argument("--blind", action="store_true", default=default,
                        help="blind review for agreement studies: each annotator sees only their own decisions")


def _settings(args: argparse.Namespace) -> ReviewSettings:
    settings = stage_settings(ReviewSettings, "review")
    for name, attr in (("db", "db"), ("outputs", "outputs"), ("jsonl", "decisions_jsonl"),
                       ("host", "host"), ("port", "port"), ("blind", "blind")):
        value = getattr(args, name, None)
        if value is not None:
            setattr(settings, attr, value)
    return settings


def _catalog(settings: ReviewSettings) -> Any:
    from pipeline.review.catalog import Catalog, load_outputs

    return Catalog(*load_outputs(settings.outputs))


def _open(settings: ReviewSettings, background_checkpoints: bool = False) -> tuple[Any, Any]:
    from pipeline.review.store import DecisionStore

    store = DecisionStore(settings.db, background_checkpoints=background_checkpoints)
    return store, _catalog(settings)


def serve(args: argparse.Namespace) -> int:
    """Run the app until Ctrl-C or SIGTERM; decisions.jsonl is flushed on the way out."""
    from werkzeug.serving import make_server

    from pipeline.review.app import create_app
    from pipeline.review.jsonl_sync import JsonlSync

    settings = _settings(args)
    token = getattr(args, "token", None) or os.environ.get(settings.token_env) or None
    store, catalog = _open(settings, background_checkpoints=True)  # JsonlSync checkpoints
    catalog.warm(settings.focus_labels)
    merged = _merge_text_export(store, settings.decisions_jsonl)
    sync = JsonlSync(store, settings.decisions_jsonl, settings.export_delay)
    sync.flush()
    app = create_app(catalog, store, settings, annotator=getattr(args, "annotator", None), token=token, sync=sync)
    if not getattr(args, "verbose", False):
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    try:
        server = make_server(settings.host, settings.port, app, threaded=True)
    except OSError as exc:
        sync.close()
        raise PipelineError(f"Cannot listen on {settings.host}:{settings.port} ({exc.strerror}). "
                            f"Pick another --port or stop the program using it.") from exc
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    suffix = "/?token=<your token>" if token else "/"
    print(f"Review app: http://{host}:{server.port}{suffix}  ({catalog.n_passages} passages, "
          f"{catalog.n_entities} machine entities, "
          f"{store.count()} decisions in {settings.db}, {merged} merged from {settings.decisions_jsonl}); "
          f"Ctrl-C to stop.", flush=True)
    if catalog.n_entities == 0:
        print(f"warning: no machine entities under {settings.outputs}: run `dvc repro entities` first, "
              f"or annotators will only be able to add entities by hand.", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        sync.close()  # writes decisions.jsonl one last time
        print(f"Stopped. {store.count()} decisions; {settings.decisions_jsonl} is up to date.", flush=True)
    return 0


def _merge_text_export(store: Any, path: str) -> int:
    """Add decisions found in decisions.jsonl but not in the store (a fresh clone, or decisions
    pulled from a colleague through git); returns how many were new."""
    from pipeline.review.decisions import read_jsonl

    return store.import_decisions(read_jsonl(path))


def export(args: argparse.Namespace) -> int:
    """Write decisions.jsonl and the requested exports (from the store, or only from the jsonl)."""
    import tempfile

    from pipeline.review import exports
    from pipeline.review.decisions import read_jsonl
    from pipeline.review.store import DecisionStore

    settings = _settings(args)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise PipelineError(f"--formats: unknown format(s) {unknown}; choose from {FORMATS}.")
    with tempfile.TemporaryDirectory(prefix="review-export-") as tmp:
        if getattr(args, "from_jsonl", False):
            # Reproducible (DVC) mode: everything derives from the tracked text export.
            store = DecisionStore(Path(tmp) / "from-jsonl.sqlite")
            store.import_decisions(read_jsonl(settings.decisions_jsonl))
            formats = [f for f in formats if f != "jsonl"]
        else:
            store = DecisionStore(settings.db)
        if "jsonl" in formats:
            n = store.export_jsonl(settings.decisions_jsonl)
            print(f"{settings.decisions_jsonl}: {n} decisions")
        if set(formats) - {"jsonl"}:
            catalog = _catalog(settings)
            out = Path(args.out_dir)
            writers = {"conll": (exports.export_conll, "reviewed.conll"),
                       "docbin": (exports.export_docbin, "reviewed.spacy"),
                       "labelstudio": (exports.export_labelstudio, "labelstudio.json")}
            for fmt in formats:
                if fmt in writers:
                    write, name = writers[fmt]
                    count = write(catalog, store, out / name)
                    print(f"{out / name}: {count} passages")
        store.close()
    return 0


def import_ls(args: argparse.Namespace) -> int:
    """Import a Label Studio export as decisions and refresh decisions.jsonl."""
    from pipeline.review.exports import import_labelstudio

    settings = _settings(args)
    store, catalog = _open(settings)
    added = import_labelstudio(args.file, catalog, store, args.annotator)
    store.export_jsonl(settings.decisions_jsonl)
    print(f"{args.file}: {added} new decisions stored in {settings.db}; {settings.decisions_jsonl} rewritten.")
    return 0


def restore(args: argparse.Namespace) -> int:
    """Rebuild a database from the text export (decisions already there are kept)."""
    from pipeline.review.decisions import read_jsonl
    from pipeline.review.store import DecisionStore

    decisions = read_jsonl(args.file)
    if not decisions and not Path(args.file).exists():
        raise PipelineError(f"{args.file}: not found.")
    added = DecisionStore(args.db).import_decisions(decisions)
    print(f"{args.db}: {added} of {len(decisions)} decisions restored from {args.file}.")
    return 0


def agreement_cmd(args: argparse.Namespace) -> int:
    """Write inter-annotator agreement for every pair of annotators."""
    from pipeline.review.agreement import store_agreement

    settings = _settings(args)
    store, catalog = _open(settings)
    result = store_agreement(store, catalog)
    atomic.write_json(args.out, result)
    for pair in result["pairs"]:
        print(f"{pair['annotator_a']} vs {pair['annotator_b']}: kappa {pair['kappa']} on "
              f"{pair['mentions_both_decided']} mentions; span F1 {pair['span_f1']} on "
              f"{pair['passages_both_reviewed']} passages")
    print(result["note"] or f"written to {args.out}", file=sys.stderr if result["note"] else sys.stdout)
    return 0
