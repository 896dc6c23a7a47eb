"""`python -m pipeline review …`: run the review app, export and import decisions.

    review [serve]              the local web app (default)
    review export               decisions.jsonl + CoNLL IOB2, spaCy DocBin, Label Studio JSON
    review import-labelstudio   Label Studio annotations → decisions
    review restore              rebuild a database from decisions.jsonl
    review agreement            inter-annotator agreement as JSON
    review users add|list|link|reset|role|disable   annotator accounts
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
from pipeline.outputs import default_path
from pipeline.review.settings import ReviewSettings

FORMATS = ("jsonl", "conll", "conllu", "docbin", "labelstudio")


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
    p.add_argument("--out-dir", default=default_path("review_exports"), help="where CoNLL, DocBin and Label Studio files go")
    p.add_argument("--from-jsonl", action="store_true", default=False,
                   help="build the exports from decisions.jsonl alone, not the database (for DVC)")
    p.set_defaults(func=export)

    p = sub.add_parser("import-labelstudio", help="store Label Studio annotations as decisions",
                       argument_default=argparse.SUPPRESS)
    _common(p, argparse.SUPPRESS)
    p.add_argument("file", help="Label Studio JSON export (tasks with annotations)")
    p.add_argument("--annotator", default="labelstudio", help="name for annotations that name no Label Studio user")
    p.add_argument("--user", action="append", default=[], metavar="ID=NAME",
                   help="the name (e.g. email) of a Label Studio user id, when the export gives only ids; repeatable")
    p.set_defaults(func=import_ls)

    p = sub.add_parser("restore", help="rebuild (or merge into) a database from decisions.jsonl",
                       argument_default=argparse.SUPPRESS)
    p.add_argument("file", help="decisions.jsonl to read")
    p.add_argument("--db", required=True, help="database to create or merge into")
    p.set_defaults(func=restore)

    users = sub.add_parser("users", help="annotator accounts: add, list, link, reset, role, disable",
                           description="Accounts live in the review database (--db), never in a tracked file. "
                                       "Once one exists, every annotator signs in and decides under their own name.")
    _db_only(users)
    users_sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    u = users_sub.add_parser("add", help="create an account; prints its secret (or a one-time link with --link)")
    u.add_argument("name", help="the annotator's name (an email address works)")
    u.add_argument("--role", choices=("annotator", "adjudicator"), default="annotator")
    u.add_argument("--link", action="store_true", help="print a one-time sign-in link instead of a secret")
    u.add_argument("--url", help="the address annotators open (default: from params.yaml review host and port)")
    u.set_defaults(func=users_cmd)
    u = users_sub.add_parser("list", help="list accounts (no secrets)")
    u.set_defaults(func=users_cmd)
    u = users_sub.add_parser("link", help="a new one-time sign-in link (valid 7 days, one sign-in)")
    u.add_argument("name")
    u.add_argument("--url", help="the address annotators open")
    u.set_defaults(func=users_cmd)
    u = users_sub.add_parser("reset", help="a new secret; ends the account's sessions")
    u.add_argument("name")
    u.set_defaults(func=users_cmd)
    u = users_sub.add_parser("role", help="change an account's role")
    u.add_argument("name")
    u.add_argument("role", choices=("annotator", "adjudicator"))
    u.set_defaults(func=users_cmd)
    u = users_sub.add_parser("disable", help="stop an account from signing in (its decisions stay)")
    u.add_argument("name")
    u.set_defaults(func=users_cmd)

    p = sub.add_parser("uncertainty", help="score how unsure the models are about each passage (active order)",
                       argument_default=argparse.SUPPRESS)
    _common(p, argparse.SUPPRESS)
    p.set_defaults(func=uncertainty_cmd)

    p = sub.add_parser("agreement", help="write inter-annotator agreement as JSON",
                       argument_default=argparse.SUPPRESS)
    _common(p, argparse.SUPPRESS)
    p.add_argument("--out", default="outputs/review/agreement.json", help="where to write it")
    p.set_defaults(func=agreement_cmd)


def _db_only(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=argparse.SUPPRESS, help="SQLite decision store (default: params.yaml "
                        "review.db, corpus/annotations/review.sqlite)")


def _serve_options(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument("--host", default=default, help="address to listen on (default 127.0.0.1; anything else "
                        "needs an access token)")
    parser.add_argument("--port", type=int, default=default, help="port (default 8765; 0 picks a free one)")
    parser.add_argument("--annotator", default=default, help="single-user mode (no accounts, loopback): the name "
                        "decisions are made under (default: your login name)")
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
    from pipeline.review.catalog import load_uncertainty

    catalog.set_uncertainty(load_uncertainty(settings.uncertainty))
    merged = _merge_text_export(store, settings.decisions_jsonl)
    sync = JsonlSync(store, settings.decisions_jsonl, settings.export_delay)
    sync.flush()
    app = create_app(catalog, store, settings, annotator=getattr(args, "annotator", None), token=token, sync=sync)
    access_log = logging.getLogger("werkzeug")
    access_log.addFilter(_RedactTokens())
    if not getattr(args, "verbose", False):
        access_log.setLevel(logging.WARNING)
    try:
        server = make_server(settings.host, settings.port, app, threaded=True)
    except OSError as exc:
        sync.close()
        raise PipelineError(f"Cannot listen on {settings.host}:{settings.port} ({exc.strerror}). "
                            f"Pick another --port or stop the program using it.") from exc
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    from pipeline.review.security import start_urls

    suffix = "?token=<your token>" if token else ""
    urls = "  ".join(u + suffix for u in start_urls(settings.host, server.port))
    mode = (f"accounts: {len(app.extensions['review'].accounts.list())}, annotators sign in"
            if app.extensions["review"].accounts_on() else f"single user: {app.extensions['review'].single_user}")
    print(f"Review app: {urls}  ({mode}; {catalog.n_passages} passages, "
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


class _RedactTokens(logging.Filter):
    """Keeps access tokens out of the access log (they arrive in `?token=` once)."""

    def filter(self, record: logging.LogRecord) -> bool:
        from pipeline.review.security import redact

        record.msg = redact(str(record.msg))
        if record.args:
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def users_cmd(args: argparse.Namespace) -> int:
    """Manage annotator accounts."""
    from pipeline.review.accounts import Accounts
    from pipeline.review.security import start_urls
    from pipeline.review.store import DecisionStore

    settings = _settings(args)
    accounts = Accounts(DecisionStore(settings.db))
    action = args.users_command

    def link_for(name: str) -> str:
        base = (getattr(args, "url", None) or start_urls(settings.host, settings.port)[0]).rstrip("/")
        return f"{base}/login#once={accounts.link_token(name)}"

    if action == "add":
        secret = accounts.add(args.name, args.role, secret=None)
        if args.link:
            print(f"{args.name} ({args.role}): one-time sign-in link (valid 7 days, one sign-in):\n  {link_for(args.name)}")
        else:
            print(f"{args.name} ({args.role}): secret {secret}\n  (shown once; `review users reset {args.name}` "
                  f"makes a new one, `review users link {args.name}` a one-time link)")
    elif action == "list":
        for u in accounts.list():
            print(f"{u['name']}\t{u['role']}\t{'disabled' if u['disabled'] else 'active'}\tsince {u['created']}")
    elif action == "link":
        print(link_for(args.name))
    elif action == "reset":
        print(f"{args.name}: new secret {accounts.reset(args.name)} (their open sessions have ended)")
    elif action == "role":
        accounts.set_role(args.name, args.role)
        print(f"{args.name}: now {args.role}")
    elif action == "disable":
        accounts.disable(args.name)
        print(f"{args.name}: disabled (their decisions stay; their sessions have ended)")
    return 0


def _merge_text_export(store: Any, path: str) -> int:
    """Add decisions found in decisions.jsonl but not in the store (a fresh clone, or decisions
    pulled from a colleague through git); returns how many were new."""
    from pipeline.decisions.records import read_jsonl

    return store.import_decisions(read_jsonl(path))


def export(args: argparse.Namespace) -> int:
    """Write decisions.jsonl and the requested exports (from the store, or only from the jsonl)."""
    import tempfile

    from pipeline.decisions.records import read_jsonl
    from pipeline.review import exports
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
                       "conllu": (exports.export_conllu, "reviewed.conllu"),
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
    users = {}
    for item in args.user:
        key, sep, name = item.partition("=")
        if not sep or not key.strip() or not name.strip():
            raise PipelineError(f"--user {item!r}: write it as ID=NAME, e.g. --user 3=dmitry@example.org")
        users[key.strip()] = name.strip()
    added = import_labelstudio(args.file, catalog, store, args.annotator, users)
    store.export_jsonl(settings.decisions_jsonl)
    print(f"{args.file}: {added} new decisions stored in {settings.db}; {settings.decisions_jsonl} rewritten.")
    return 0


def restore(args: argparse.Namespace) -> int:
    """Rebuild a database from the text export (decisions already there are kept)."""
    from pipeline.decisions.records import read_jsonl
    from pipeline.review.store import DecisionStore

    decisions = read_jsonl(args.file)
    if not decisions and not Path(args.file).exists():
        raise PipelineError(f"{args.file}: not found.")
    added = DecisionStore(args.db).import_decisions(decisions)
    print(f"{args.db}: {added} of {len(decisions)} decisions restored from {args.file}.")
    return 0


def uncertainty_cmd(args: argparse.Namespace) -> int:
    """Write the review_queue stage's uncertainty.parquet: machine mentions vs a second opinion per passage."""
    from pipeline.entities.settings import EntitiesSettings
    from pipeline.review.catalog import load_outputs
    from pipeline.review.uncertainty import second_opinion, uncertainty_frame

    settings = _settings(args)
    passages, machine = load_outputs(settings.outputs)
    entities = stage_settings(EntitiesSettings, "entities")
    specs = {lang: spec for lang, spec in settings.second_opinion.items() if lang in set(passages["lang"])}
    frame = uncertainty_frame(passages, machine, second_opinion(passages, specs, entities), specs)
    atomic.write_parquet(settings.uncertainty, frame)
    unsure = int((frame["uncertainty"] > 0).sum())
    print(f"{settings.uncertainty}: {len(frame)} passages, {unsure} where the second opinion disagrees "
          f"({', '.join(f'{k}: {v}' for k, v in sorted(specs.items()))}).")
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
