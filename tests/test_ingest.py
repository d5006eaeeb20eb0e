"""Ingest: reading, decoding, HTML extraction, the plain-text clutter stripper and the source map."""

from __future__ import annotations

import importlib.util
import json
import re

import pytest
from conftest import EXAMPLES, SHARED

from unspin.ingest import MAX_BYTES, document_from_plain_text, extract, load, read_input, scrub_controls
from unspin.types import Document, UnspinError

# --- helpers --------------------------------------------------------------------------------


def _scorer():
    """The shared scorer's word normalisation, so extraction is checked exactly as it is scored."""
    spec = importlib.util.spec_from_file_location("score_cases", SHARED / "tools" / "score_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.words


def _check_map(doc: Document) -> int:
    """Every mapped body character is the input character it maps to (a stray control character
    as scrubbed, one for one); returns how many are mapped."""
    mapped = 0
    raw = scrub_controls(doc.raw)
    assert len(raw) == len(doc.raw)
    for body_start, input_start, length in doc.source_map:
        assert doc.text[body_start:body_start + length] == raw[input_start:input_start + length]
        for i in range(body_start, body_start + length):
            assert raw[doc.to_input(i)] == doc.text[i]
        mapped += length
    return mapped


def _squash(text: str) -> str:
    return " ".join(text.split())


def _cases_with_article():
    if not (SHARED / "cases").is_dir():
        return []
    out = []
    for exp in sorted((SHARED / "cases").glob("**/expected.json")):
        if json.loads(exp.read_text()).get("source_article"):
            out.append(exp.parent)
    return out


def _clean_texts():
    if not (SHARED / "cases").is_dir():
        return []
    out = []
    for exp in sorted((SHARED / "cases").glob("**/expected.json")):
        out.append(exp.parent / "candidate.txt")
        if not json.loads(exp.read_text()).get("source_article"):
            out.append(exp.parent / "source.txt")
    return out


def _case_id(path):
    return f"{path.parent.name}/{path.name}" if path.suffix else path.name


# --- scraped page text (shared cases) ------------------------------------------------------


@pytest.mark.parametrize("case", _cases_with_article(), ids=_case_id)
def test_cluttered_source_extraction(shared, case):
    words = _scorer()
    art = json.loads((case / "expected.json").read_text())["source_article"]
    doc = load(case / "source.txt")
    body = " ".join(words(doc.text))
    assert words(doc.title) == words(art["title"])
    assert words(doc.text)[:6] == words(art["body_starts_with"])[:6]
    assert words(doc.text)[-6:] == words(art["body_ends_with"])[-6:]
    for s in art.get("not_in_body", []):
        assert " ".join(words(s)) not in body, s
    assert " ".join(words(doc.title)) not in body
    if art.get("byline"):
        assert [words(a) for a in doc.authors] == [words(art["byline"])]
    assert doc.tags == art.get("tags", [])
    assert doc.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.date)
    assert _check_map(doc) == len(doc.text) - doc.text.count("\n")  # all but the paragraph breaks


def test_seed_body_ends_with_contributor_line(shared):
    doc = load(SHARED / "cases" / "seed" / "source.txt")
    assert doc.paragraphs[-1].text.endswith("contributed to this report.")
    assert doc.authors == ["Faris Tanyos"]


@pytest.mark.parametrize("path", _clean_texts(), ids=_case_id)
def test_clean_articles_come_through_whole(shared, path):
    raw = path.read_text(encoding="utf-8")
    doc = load(path)
    assert doc.text == raw.strip() or _squash(doc.text) == _squash(raw)
    assert doc.title is None
    assert _check_map(doc) == len(doc.text) - doc.text.count("\n")


# --- scraped page text (no shared material needed) -----------------------------------------

PAGE = """\
Riverside Gazette
Home > Local > Environment
Volunteers pull two tonnes of rubbish from the canal | Riverside Gazette
Updated: 14 May 2024 09:12

Volunteers pull two tonnes of rubbish from the canal

By Amira Haddad

More than 120 volunteers spent Saturday clearing the Wendle Canal, hauling out trolleys, tyres and a safe.

The clean-up, organised by the Friends of Wendle Canal, covered two miles between Mill Lock and the tannery.

Advertisement

"We expected bottles and bags, not a safe," said organiser Peter Lund. "It took six of us to lift it."

The council said it would install two new litter bins along the towpath this summer.

Share: Facebook | X | WhatsApp | 87 shares
Tags: Environment, Canals, Volunteering
Amira Haddad is a reporter at the Riverside Gazette covering environment and transport.
Most popular
- Bus route 14 to be cut from June
- New bakery opens on Station Road
- School choir wins regional final
- Roadworks to close bridge for a week
\u00a9 2024 Riverside Gazette
"""


def test_stripper_on_a_page_text():
    doc = extract(PAGE, "text")
    assert doc.title == "Volunteers pull two tonnes of rubbish from the canal"
    assert doc.authors == ["Amira Haddad"]
    assert doc.date == "2024-05-14"
    assert doc.tags == ["Environment", "Canals", "Volunteering"]
    assert doc.site_name == "Riverside Gazette"
    assert doc.text.startswith("More than 120 volunteers")
    assert doc.text.endswith("along the towpath this summer.")
    assert len(doc.paragraphs) == 4
    for clutter in ["Home >", "Updated", "By Amira", "Advertisement", "Share:", "Tags:", "is a reporter",
                    "Most popular",
                    "Bus route", "\u00a9"]:
        assert clutter not in doc.text
    assert _check_map(doc) == sum(len(p.text) for p in doc.paragraphs)


REPOST = """Lorry sheds load of melons on bypass | Westfield Voice - neighbourhood news
Westfield Voice
Home | News | Events | Contact
Posted on 2 June 2003 by editor_jo in Roads
[Copy reproduced from the wire with permission. Discussion below.]

LORRY SHEDS LOAD OF MELONS ON BYPASS

A lorry carrying 20 tonnes of melons overturned on the Westfield bypass this morning, closing
both lanes for six hours.

Police said the driver, a 44-year-old man from Leeds, escaped with cuts and bruises.

Anyone who saw the crash is asked to call police on 0845 600 8000.

Got a story? Ring our newsdesk on 0800 111 2222 or email news@westfieldvoice.example - we pay!
2 thoughts on "Lorry sheds load of melons on bypass"
Sam K. says:
2 June 2003 at 10:02
Stuck in that queue for an hour.
Reply
Leave a Reply
"""


def test_stripper_drops_bracketed_repost_notes_and_tip_lines_but_keeps_police_appeals():
    doc = extract(REPOST, "text")
    assert doc.title == "LORRY SHEDS LOAD OF MELONS ON BYPASS"
    assert doc.text.startswith("A lorry carrying 20 tonnes")
    assert doc.text.endswith("call police on 0845 600 8000.")
    for clutter in ("reproduced", "newsdesk", "Stuck in that queue", "Leave a Reply"):
        assert clutter not in doc.text


def test_clean_article_unchanged_without_shared():
    text = ("Bridge repairs approved\n\nBy Lee Park\n\nThe council approved the repairs on Tuesday.\n\n"
            "\"It had to be done,\" the mayor said.\n")
    doc = extract(text, "text")
    assert doc.text == text.strip()
    assert [p.text for p in doc.paragraphs][0] == "Bridge repairs approved"
    assert doc.authors == ["Lee Park"]
    assert doc.title is None


def test_hard_wrapped_lines_make_one_paragraph():
    """Without blank lines a line is a paragraph, unless it carries on the sentence of the line
    before: a ragged wrap (PAN 2013 and scraped pages break lines anywhere) or a fixed width."""
    ragged = ("The Bachelor's degree program is open to students who possess a high school\n"
              "diploma or its equivalent. This minimum 120- to 124-credit-hour\n"
              "program is the standard four-year undergraduate degree that most employers want and\n"
              "prepares students for graduate study.\n"
              "Certificate programs allow students to focus on a particular topic of interest through the\n"
              "Associate or Bachelor's degree program.\n"
              "Student Services\n"
              "Our advisers answer questions by phone.\n")
    doc = Document.from_text(ragged)
    assert [_squash(p.text)[:20] for p in doc.paragraphs] == [
        "The Bachelor's degre", "Certificate programs", "Student Services", "Our advisers answer "]
    assert _check_map(doc) == sum(len(ln.strip()) for ln in ragged.splitlines())
    # sentences run over the wraps, so no sentence is a piece of a line
    from unspin.segment import segment

    sentences = [_squash(s.text) for s in segment(doc).sentences]
    assert ("This minimum 120- to 124-credit-hour program is the standard four-year undergraduate degree "
            "that most employers want and prepares students for graduate study.") in sentences
    assert len(sentences) == 5

    import textwrap

    paras = ["The council approved the repair of the Hadley Street Bridge on Tuesday after Mayor Ruth "
             "Okafor told members that the span, which carries Route 9 over the river, could not wait "
             "another winter.",
             "Karen Liu, a spokesperson for the state Department of Transportation, said the state would "
             "review the city's plans before work begins in the spring."]
    fixed = "\n".join(textwrap.fill(p, 64) for p in paras)
    doc = Document.from_text(fixed)
    assert [_squash(p.text) for p in doc.paragraphs] == paras
    # lines that end sentences, and headings, stay paragraphs of their own
    for text in ("One.\nTwo.\nThree.", "Bridge repairs approved\nThe council met on Tuesday.",
                 "Items:\n- bread\n- milk"):
        assert len(Document.from_text(text).paragraphs) == len(text.splitlines()), text


def test_plain_text_paragraphs():
    blocks = document_from_plain_text("One.\nStill one.\n\n\nTwo.\n")
    assert [p.text for p in blocks.paragraphs] == ["One.\nStill one.", "Two."]
    lines = Document.from_text("One.\nTwo.\nThree.")
    assert [p.text for p in lines.paragraphs] == ["One.", "Two.", "Three."]
    assert lines.text == "One.\n\nTwo.\n\nThree."
    crlf = document_from_plain_text("  First para.\r\n\r\nSecond para.  \r\n")
    assert [p.text for p in crlf.paragraphs] == ["First para.", "Second para."]
    assert _check_map(crlf) == len("First para.") + len("Second para.")
    for doc in (blocks, lines, crlf):
        for span in doc.paragraphs:
            assert doc.text[span.start:span.end] == span.text


# --- HTML -----------------------------------------------------------------------------------


def test_example_html():
    doc = load(EXAMPLES / "source.html")
    assert doc.input_format == "html"
    assert doc.title == "Council approves $18.6 million repair of Hadley Street Bridge"
    assert doc.authors == ["Elena Sorensen"]
    assert doc.date == "2025-10-15"
    assert "City Council" in doc.tags
    assert doc.site_name == "Marlow Falls Ledger"
    assert doc.url and doc.url.startswith("https://")
    assert doc.title not in doc.text
    assert 650 <= len(doc.text.split()) <= 1000
    assert doc.text.count("\u201c") >= 5
    assert doc.text.rstrip().endswith("Eastgate Elementary School.")
    for clutter in ["Frost advisory", "Subscribe", "Most read", "Related coverage", "Morning Ledger",
                    "All rights reserved", "covers city government", "Share on X", "14 comments"]:
        assert clutter not in doc.text, clutter
    mapped = _check_map(doc)
    assert mapped / (len(doc.text) - 2 * (len(doc.paragraphs) - 1)) > 0.95


def test_html_detected_by_content(tmp_path):
    page = (EXAMPLES / "source.html").read_text(encoding="utf-8")
    p = tmp_path / "page.txt"
    p.write_text(page, encoding="utf-8")
    assert read_input(p)[1] == "html"
    q = tmp_path / "notes.html"
    q.write_text("Plain words about a <p> tag, nothing more.\n", encoding="utf-8")
    assert read_input(q)[1] == "html"  # the extension breaks the tie when there is any markup
    r = tmp_path / "notes.txt"
    r.write_text("Plain words about a <p> tag, nothing more.\n", encoding="utf-8")
    assert read_input(r)[1] == "text"


def test_html_fragment_without_trafilatura_result():
    html = ("<html><body><div><p>The county opened a new library branch on Monday, its first in twenty "
            "years.</p></div></body></html>")
    doc = extract(html, "html")
    assert "new library branch" in doc.text
    _check_map(doc)


# --- encodings ------------------------------------------------------------------------------

TEXT_FR = ("Le caf\u00e9 de la Mairie a ferm\u00e9 ses portes apr\u00e8s 40 ans. \u00ab C\u2019est la fin "
           "d\u2019une \u00e9poque \u00bb, a d\u00e9clar\u00e9 H\u00e9l\u00e8ne Dubois.\n\n"
           "La municipalit\u00e9 n\u2019a pas encore d\u00e9cid\u00e9 du sort du b\u00e2timent.\n")
TEXT_EN = ("The caf\u00e9 served cr\u00e8me br\u00fbl\u00e9e, Se\u00f1or Garc\u00eda said of the "
           "\u201cna\u00efve\u201d r\u00e9sum\u00e9.\n")
TEXT_DE = ("Z\u00fcrich, K\u00f6ln und Gr\u00f6\u00dfe: Der B\u00fcrgermeister sagte, die Br\u00fccke "
           "sei marode.\n")


@pytest.mark.parametrize("text,encoding", [(TEXT_FR, "cp1252"), (TEXT_EN, "cp1252"), (TEXT_DE, "latin-1"),
                                           (TEXT_FR, "utf-8-sig"), (TEXT_FR, "utf-16")])
def test_encodings(tmp_path, text, encoding):
    p = tmp_path / "article.txt"
    p.write_bytes(text.encode(encoding))
    raw, kind = read_input(p)
    assert kind == "text"
    assert raw == text
    assert load(p).text == text.strip()


def test_html_declared_charset(tmp_path):
    html = ("<html><head><meta charset=\"windows-1252\"><title>Caf\u00e9</title></head><body><article>"
            "<p>The caf\u00e9 on the corner closed on Friday after serving cr\u00e8me br\u00fbl\u00e9e for "
            "thirty years, its owner said.</p></article></body></html>")
    p = tmp_path / "page.html"
    p.write_bytes(html.encode("cp1252"))
    doc = load(p)
    assert "cr\u00e8me br\u00fbl\u00e9e" in doc.text


# --- stray control characters -------------------------------------------------------------

STRAY = ("The council met on Tuesday.\x00 It voted\x07 to repair the Hadley Street Bridge.\n"
         "\x1b[0mThe mayor said it\x19s overdue; the work costs \u00a318.6m\x7f.\n")


def test_stray_control_characters_load_with_true_offsets(tmp_path):
    """Scraped text with a NUL, a bell, an escape and a lost apostrophe loads; the body drops the
    controls and keeps every word where the input has it."""
    p = tmp_path / "scraped.txt"
    p.write_bytes(STRAY.encode("utf-8"))
    raw, kind = read_input(p)
    assert (raw, kind) == (STRAY, "text")  # the input as decoded, controls and all
    doc = load(p)
    assert doc.raw == STRAY
    assert not any(ord(c) < 32 and c != "\n" or 0x7F <= ord(c) < 0xA0 for c in doc.text)
    assert _squash(doc.text) == ("The council met on Tuesday. It voted to repair the Hadley Street Bridge. "
                                 "[0mThe mayor said it\u2019s overdue; the work costs \u00a318.6m .")
    for word in ("council", "Tuesday.", "It voted", "repair", "Bridge", "mayor", "overdue", "18.6m"):
        i = doc.text.index(word)
        j = doc.to_input(i)
        assert STRAY[j:j + len(word)] == word, word
    assert _check_map(doc) == len(doc.text) - doc.text.count("\n")
    html = tmp_path / "page.html"
    html.write_bytes(("<html><body><article><p>" + STRAY.replace("\n", "</p><p>") + "</p></article></body>"
                      "</html>").encode("utf-8"))
    doc = load(html)
    assert "repair the Hadley Street Bridge" in doc.text and "\x00" not in doc.text
    _check_map(doc)


def test_pan_text_with_nul_bytes_keeps_pan_offsets(shared):
    """A PAN 2013 source with NUL bytes (as crawled) loads; the truth passage's offsets, which
    count characters of the original file, map to the body and back."""
    pan = shared / "data" / "pan13"
    path = pan / "src" / "source-document01241.txt"
    if not path.exists():
        pytest.skip("PAN 2013 data not found")
    assert b"\x00" in path.read_bytes()
    pair = next(json.loads(line) for line in (pan / "pairs.jsonl").read_text().splitlines()
                if '"source-document01241.txt"' in line and "02-no-obfuscation" in line)
    case = pair["cases"][0]
    raw, _ = read_input(path)
    assert raw == path.read_text(encoding="utf-8")
    doc = Document.from_text(raw)  # the page as a whole: the stripper takes it for a comment thread
    passage = doc.raw[case["source_offset"]:case["source_offset"] + case["source_length"]]
    head = passage.strip().split("\n")[0][:60]
    at = doc.text.index(head)
    assert doc.to_input(at) == doc.raw.index(head, case["source_offset"])
    _check_map(doc)


def _binaries(tmp_path):
    files = {
        "pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n",
        "zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(1, 256)) * 3,
        "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 2,
        "mostly nul": b"\x00" * 2000 + b"some text at the end",
        "nul-laced": b"Text that starts well. " + b"\x00\x01\x02\x03 binary\x04\x05\x06" * 60,
        "controls": ("The council met. " + "\x01\x02\x03\x04\x05\x06 " * 40).encode(),
    }
    out = {}
    for name, data in files.items():
        p = tmp_path / f"{name.replace(' ', '-')}.bin"
        p.write_bytes(data)
        out[name] = p
    return out


@pytest.mark.parametrize("kind", ["pdf", "zip", "jpeg", "mostly nul", "nul-laced", "controls"])
def test_binaries_are_still_refused(tmp_path, kind):
    path = _binaries(tmp_path)[kind]
    with pytest.raises(UnspinError, match="binary file") as info:
        load(path)
    assert "\n" not in str(info.value) and str(path) in str(info.value)


# --- bad input ------------------------------------------------------------------------------


def _bad_inputs(tmp_path):
    cases = {}
    cases["missing"] = (tmp_path / "nope.txt", "no such file")
    d = tmp_path / "adir"
    d.mkdir()
    cases["directory"] = (d, "directory")
    e = tmp_path / "empty.txt"
    e.write_bytes(b"")
    cases["empty"] = (e, "empty")
    w = tmp_path / "blank.txt"
    w.write_text("  \n\t\n   \n")
    cases["whitespace"] = (w, "empty")
    b = tmp_path / "image.png"
    b.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    cases["binary"] = (b, "binary")
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    cases["too large"] = (big, "too large")
    nav = tmp_path / "nav.html"
    nav.write_text("<!DOCTYPE html><html><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav>"
                   "<footer>Contact</footer></body></html>")
    cases["html without article"] = (nav, "no article")
    return cases


@pytest.mark.parametrize("kind", ["missing", "directory", "empty", "whitespace", "binary", "too large",
                                  "html without article"])
def test_bad_input(tmp_path, kind):
    path, words = _bad_inputs(tmp_path)[kind]
    with pytest.raises(UnspinError) as info:
        load(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    assert words in message


def test_extract_rejects_empty_string():
    with pytest.raises(UnspinError):
        extract("   ", "text")
