"""The CLI: one entry point, user errors without tracebacks."""

from pipeline.__main__ import build_parser, main
from pipeline.errors import PipelineError


def test_help_lists_every_registered_command(capsys):
    parser = build_parser()
    help_text = parser.format_help()
    assert "COMMAND" in help_text


def test_pipeline_error_exits_2_with_message(capsys, monkeypatch):
    import pipeline.__main__ as cli

    def boom(_args):
        raise PipelineError("corpus/metadata.csv row 3: file missing. Add the file or remove the row.")

    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    p = sub.add_parser("boom")
    p.set_defaults(func=boom)
    monkeypatch.setattr(cli, "build_parser", lambda command=None: parser)
    assert main(["boom"]) == 2
    assert "row 3: file missing" in capsys.readouterr().err
