"""Command line: ``unspin extract`` and ``unspin compare``.

Every user error surfaces as one line on stderr and exit code 2; a report is only
written where the user asked, and never onto one of the inputs.
"""

from __future__ import annotations

import errno
import json
import os
import sys
from pathlib import Path

import click

from unspin.types import UnspinError

EXIT_USAGE = 2


def _fail(message: str) -> None:
    """One line on stderr whatever the message holds (newlines in a file name, an ASCII terminal)."""
    line = f"unspin: error: {message}".replace("\r", "\\r").replace("\n", "\\n")
    stream = sys.stderr
    if stream is not None:
        enc = getattr(stream, "encoding", None) or "utf-8"
        try:
            stream.write(line.encode(enc, "backslashreplace").decode(enc) + "\n")
            stream.flush()
        except (OSError, LookupError, ValueError):
            pass
    sys.exit(EXIT_USAGE)


_ASCII = str.maketrans({
    "\u2500": "-", "\u2502": "|", "\u256d": "+", "\u256e": "+", "\u2570": "+", "\u256f": "+", "\u2018": "'",
    "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"', "\u2026": "...", "\u2013": "-",
    "\u2014": "-", "\u00b7": "-", "\u00a0": " "})


def _stdout(text: str, machine: bool) -> None:
    """JSON and HTML go out as UTF-8 bytes (their own encoding); text suits the terminal's."""
    stream = sys.stdout
    if stream is None:
        _fail("standard output is closed; use -o FILE")
    if not text.endswith("\n"):
        text += "\n"
    buffer = getattr(stream, "buffer", None)
    if machine and buffer is not None:
        stream.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
        return
    enc = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(enc)
    except LookupError:
        enc = "ascii"
    except UnicodeEncodeError:
        pass
    else:
        enc = None
    if enc is not None:  # a terminal that cannot show some characters: plain ASCII stand-ins, then "?"
        text = text.translate(_ASCII).encode(enc, "replace").decode(enc)
    stream.write(text)
    stream.flush()


def _write(text: str, output: str | None, inputs: list[str], force: bool, machine: bool = False) -> None:
    if output is None:
        _stdout(text, machine)
        return
    if not output.strip():
        _fail("output path is empty")
    out = Path(output)
    resolved = out.resolve()
    for p in inputs:
        try:
            same = resolved == Path(p).resolve() or (out.exists() and out.samefile(p))
        except OSError:
            same = False
        if same:
            _fail(f"refusing to write the report over an input file: {output}")
    if out.is_dir():
        _fail(f"output path is a directory: {output}")
    try:
        if out.exists() and not out.is_file():  # /dev/null, a named pipe: written to, never replaced
            with out.open("w", encoding="utf-8") as fh:
                fh.write(text)
            return
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")
    if out.exists() and not force:
        _fail(f"output file exists (use --force to overwrite): {output}")
    if not out.parent.is_dir():
        _fail(f"output directory does not exist: {out.parent}")
    tmp = out.with_name(f".{out.name}.unspin-tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        _fail(f"cannot write {output}: {exc.strerror or exc}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="unspin")
def cli() -> None:
    """Find rewritten copies of news articles and show what the rewrite changed."""


@cli.command()
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("-o", "--output", help="Write to this file instead of standard output.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
def extract(file: str, fmt: str, output: str | None, force: bool) -> None:
    """Extract the article (title, byline, body) from an HTML file or a page's text."""
    from unspin.ingest import load
    from unspin.report.extract import render_json, render_text

    doc = load(file)
    text = render_json(doc) if fmt == "json" else render_text(doc)
    _write(text, output, [file], force, machine=fmt == "json")


@cli.command()
@click.argument("source")
@click.argument("candidate")
@click.option("--source", "extra", multiple=True, help="A further source of the same story (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["terminal", "json", "html"]), default="terminal",
              show_default=True)
@click.option("-o", "--output", help="Write the report to this file instead of standard output.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("--backend", type=click.Choice(["auto", "model2vec", "minilm", "lexical"]), default="auto",
              show_default=True, help="Sentence-embedding backend.")
@click.option("--judge", type=click.Choice(["auto", "model", "rules"]), default="auto", show_default=True,
              help="What judges whether reworded sentences still say the same: the consistency model "
                   "with the rules, or the rules alone (auto: the model unless --backend lexical).")
def compare(source: str, candidate: str, extra: tuple[str, ...], fmt: str, output: str | None, force: bool,
            backend: str, judge: str) -> None:
    """Is CANDIDATE derived from SOURCE, and what did the rewrite change?"""
    from unspin.api import compare as run_compare

    report = run_compare(source, candidate, extra_sources=extra, backend=backend, judge=judge)
    if fmt == "json":
        from unspin.report.json_report import to_json

        text = json.dumps(to_json(report), ensure_ascii=False, indent=2)
    elif fmt == "html":
        from unspin.report.html import render_html

        text = render_html(report)
    else:
        from unspin.report.terminal import render_terminal

        text = render_terminal(report, color=output is None and _isatty())
    _write(text, output, [source, candidate, *extra], force, machine=fmt != "terminal")


def _isatty() -> bool:
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except (OSError, ValueError):
        return False


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except UnspinError as exc:
        _fail(str(exc))
    except click.exceptions.Abort:
        _fail("aborted")
    except click.exceptions.NoArgsIsHelpError as exc:
        exc.show()  # bare `unspin`: the help is the useful answer
        sys.exit(EXIT_USAGE)
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "unspin"
        _fail(f"{exc.format_message()} (see '{where} --help')")
    except click.ClickException as exc:
        _fail(exc.format_message())
    except KeyboardInterrupt:
        _fail("interrupted")
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(1)
    except OSError as exc:  # writing to a full disk or a dead terminal
        if exc.errno == errno.EPIPE:
            _quiet_stdout()
            sys.exit(1)
        _fail(f"cannot write the output: {exc.strerror or exc}")
    except MemoryError:
        _fail("out of memory: the input is too large")


def _quiet_stdout() -> None:
    """After a closed pipe (``| head``), stop Python's exit-time flush from printing a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        pass
