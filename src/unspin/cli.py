"""Command line: ``unspin extract`` and ``unspin compare``.

Every user error surfaces as one line on stderr and exit code 2; a report is only
written where the user asked, and never onto one of the inputs.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import stat
import sys
import tempfile
import time
from pathlib import Path

import click

from unspin.lang.en.punctuation import TERMINAL_ASCII
from unspin.types import UnspinError

EXIT_USAGE = 2


def _say(line: str) -> None:
    """One line on stderr whatever it holds (newlines in a file name, an ASCII terminal)."""
    line = line.replace("\r", "\\r").replace("\n", "\\n")
    stream = sys.stderr
    if stream is not None:
        enc = getattr(stream, "encoding", None) or "utf-8"
        try:
            stream.write(line.encode(enc, "backslashreplace").decode(enc) + "\n")
            stream.flush()
        except (OSError, LookupError, ValueError):
            pass


def _fail(message: str) -> None:
    """``unspin: error: message`` on stderr, exit code 2."""
    _say(f"unspin: error: {message}")
    sys.exit(EXIT_USAGE)


def note(message: str) -> None:
    """``unspin: message`` on stderr; the run goes on."""
    _say(f"unspin: {message}")


_ASCII = str.maketrans(TERMINAL_ASCII)


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


def _to_stdout(output: str | None) -> bool:
    return output is None or output == "-"


def check_output(output: str | None, inputs: list[str], force: bool) -> None:
    """Refuse an output path that cannot be written before any work is done: a long comparison
    must not end in "directory does not exist". Writing itself (``write_output``) checks again, since
    the file system may change in between."""
    if _to_stdout(output):
        return
    assert output is not None
    if not output.strip():
        _fail("output path is empty")
    out = Path(output)
    resolved = out.resolve()
    for p in inputs:
        try:
            same = resolved == Path(p).resolve() or (out.exists() and out.samefile(p))
        except (OSError, ValueError):
            same = False
        if same:
            _fail(f"refusing to write the report over an input file: {output}")
    try:
        st = os.stat(output)
    except FileNotFoundError:
        st = None
        if os.path.lexists(output) and not force:  # a dangling symbolic link is there all the same
            _fail(f"output file exists (use --force to overwrite): {output}")
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            _fail(f"output path is a directory: {output}")
        if not stat.S_ISREG(st.st_mode):  # /dev/null, a named pipe: written to, never replaced
            if not os.access(output, os.W_OK):
                _fail(f"cannot write {output}: permission denied")
            return
        if not force:
            _fail(f"output file exists (use --force to overwrite): {output}")
    parent = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(parent):
        _fail(f"output directory does not exist: {out.parent}")
    try:  # the one sure test that the directory takes a new file (permissions, read-only mounts)
        fd, probe = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".unspin-tmp", dir=parent)
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")
    os.close(fd)
    os.unlink(probe)


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_output(text: str, output: str | None, inputs: list[str], force: bool,
                 machine: bool = False, from_file: str | os.PathLike | None = None) -> None:
    """Write the report to ``output`` ("-" or None: standard output); ``from_file``: copy that
    file's bytes instead of ``text`` (a scan's results, which need not fit in memory).

    A file is written whole or not at all: the report goes to a temporary file of its own in the
    same directory, which then becomes ``output`` by a hard link (which fails if the name exists,
    so that of two runs writing one path without --force exactly one succeeds) or, with --force,
    by a rename over it.
    """
    def put(fh) -> None:
        if from_file is None:
            fh.write(text.encode("utf-8"))
        else:
            with open(from_file, "rb") as src:
                shutil.copyfileobj(src, fh, 1 << 20)

    if _to_stdout(output):
        if from_file is None:
            _stdout(text, machine)
            return
        if sys.stdout is None:
            _fail("standard output is closed; use -o FILE")
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None:
            put(buffer)
        else:  # a text-only stream (a captured stdout): the file is UTF-8 text
            with open(from_file, encoding="utf-8") as src:
                shutil.copyfileobj(src, sys.stdout, 1 << 20)
        sys.stdout.flush()
        return
    assert output is not None
    check_output(output, inputs, force)
    out = Path(output)
    try:
        if os.path.exists(output) and not out.is_file():  # a device or pipe checked above: write into it
            with open(output, "wb") as fh:
                put(fh)
            return
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")
    parent = os.path.dirname(os.path.abspath(output))
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".unspin-tmp", dir=parent)
        with os.fdopen(fd, "wb") as fh:
            put(fh)
        os.chmod(tmp, _file_mode())
        if force:
            os.replace(tmp, output)
            tmp = None
        else:
            try:
                os.link(tmp, output)
            except FileExistsError:
                _fail(f"output file exists (use --force to overwrite): {output}")
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK,
                                     errno.ENOSYS):
                    raise
                # no hard links on this file system: create the file exclusively and write it
                try:
                    with open(output, "xb") as fh:
                        put(fh)
                except FileExistsError:
                    _fail(f"output file exists (use --force to overwrite): {output}")
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


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

    check_output(output, [file], force)
    doc = load(file)
    text = render_json(doc) if fmt == "json" else render_text(doc)
    write_output(text, output, [file], force, machine=fmt == "json")


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

    check_output(output, [source, candidate, *extra], force)
    t = time.perf_counter()
    sources = _load_sources([source, *extra])
    cand_doc = _load(candidate)
    took = time.perf_counter() - t
    report = run_compare(sources[0], cand_doc, extra_sources=sources[1:], backend=backend, judge=judge)
    report.timings["ingest"] = report.timings.get("ingest", 0.0) + took
    if fmt == "json":
        from unspin.report.json_report import to_json

        text = json.dumps(to_json(report), ensure_ascii=False, indent=2)
    elif fmt == "html":
        from unspin.report.html import render_html

        text = render_html(report)
    else:
        from unspin.report.terminal import render_terminal

        text = render_terminal(report, color=_to_stdout(output) and _isatty())
    write_output(text, output, [source, candidate, *extra], force, machine=fmt != "terminal")


def _load(path: str):
    from unspin.ingest import load

    return load(path)


def _load_sources(paths: list[str]) -> list:
    """The sources, read once each; a source whose text is one already given is dropped with a
    note: counted twice it would only repeat every omission."""
    docs, seen = [], {}
    for path in paths:
        doc = _load(path)
        if doc.text in seen:
            first = seen[doc.text]
            same = "" if first == path else f" (same text as {first})"
            note(f"ignoring duplicate source {path}{same}")
            continue
        seen[doc.text] = path
        docs.append(doc)
    return docs


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


def _corpus_commands() -> None:
    """``unspin index`` and ``unspin scan`` live with the corpus package."""
    from unspin.corpus.commands import index_command, scan_command

    cli.add_command(index_command)
    cli.add_command(scan_command)


_corpus_commands()
