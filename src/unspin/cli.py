"""Command line: ``unspin extract`` and ``unspin compare``.

Every user error surfaces as one line on stderr and exit code 2; a report is only
written where the user asked, and never onto one of the inputs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from unspin.types import UnspinError

EXIT_USAGE = 2


def _fail(message: str) -> None:
    click.echo(f"unspin: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _write(text: str, output: str | None, inputs: list[str], force: bool) -> None:
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    out = Path(output)
    resolved = out.resolve()
    if any(resolved == Path(p).resolve() for p in inputs):
        _fail(f"refusing to write the report over an input file: {output}")
    if out.is_dir():
        _fail(f"output path is a directory: {output}")
    if out.exists() and not force:
        _fail(f"output file exists (use --force to overwrite): {output}")
    if not out.parent.exists():
        _fail(f"output directory does not exist: {out.parent}")
    tmp = out.with_name(f".{out.name}.unspin-tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)


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
    _write(text, output, [file], force)


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
def compare(source: str, candidate: str, extra: tuple[str, ...], fmt: str, output: str | None, force: bool,
            backend: str) -> None:
    """Is CANDIDATE derived from SOURCE, and what did the rewrite change?"""
    from unspin.api import compare as run_compare

    report = run_compare(source, candidate, extra_sources=extra, backend=backend)
    if fmt == "json":
        from unspin.report.json_report import to_json

        text = json.dumps(to_json(report), ensure_ascii=False, indent=2)
    elif fmt == "html":
        from unspin.report.html import render_html

        text = render_html(report)
    else:
        from unspin.report.terminal import render_terminal

        text = render_terminal(report, color=output is None and sys.stdout.isatty())
    _write(text, output, [source, candidate, *extra], force)


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except UnspinError as exc:
        _fail(str(exc))
    except click.exceptions.Abort:
        _fail("aborted")
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        _fail("interrupted")
    except BrokenPipeError:
        sys.exit(1)
    except MemoryError:
        _fail("out of memory: the input is too large")
