"""The shape issue 10 gave the findings code: language data in unspin.lang.en, detectors that
do not import one another, no private names imported across modules, one role table."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from unspin.lang.en.people import NARRATION_ROLES, ROLES, SPEAKER_ROLES

ROOT = Path(__file__).resolve().parents[1]
FINDINGS = ROOT / "src" / "unspin" / "findings"
DETECTORS = {"facts", "shifts", "omissions", "claims", "quotes", "garbled", "learned"}
WORD = re.compile(r"[a-z]{2,}(?:'[a-z]+)?")


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, [a.name for a in node.names], node.lineno
        elif isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, [], node.lineno


def test_no_detector_imports_another():
    for name in DETECTORS:
        for module, names, line in _imports(FINDINGS / f"{name}.py"):
            targets = {module.rsplit(".", 1)[-1]} | (set(names) if module == "unspin.findings" else set())
            assert not (targets & (DETECTORS - {name})), f"{name}.py:{line} imports {module} {names}"


def test_no_private_names_imported_across_modules():
    bad = []
    for top in ("src", "tests"):
        for path in (ROOT / top).rglob("*.py"):
            for module, names, line in _imports(path):
                if module == "__future__":
                    continue
                private = [n for n in names if n.startswith("_") and not n.endswith("__")]
                if private or any(p.startswith("_") and not p.endswith("__") for p in module.split(".")):
                    bad.append(f"{path.relative_to(ROOT)}:{line} {module} {private}")
    assert not bad, bad


def _word_literal(node: ast.AST) -> bool:
    """A set, tuple, list or dict literal of three or more lower-case words, or a word-list string."""
    if isinstance(node, ast.Dict):
        elts = node.keys
    elif isinstance(node, ast.Set | ast.Tuple | ast.List):
        elts = node.elts
    elif isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("frozenset", "set") and node.args:
        return _word_literal(node.args[0])
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        return len(WORD.findall(node.value)) >= 6 and len(node.value.split()) >= 6 and "\n" in node.value
    else:
        return False
    words = [e.value for e in elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
             and WORD.fullmatch(e.value)]
    return len(words) >= 3


def test_findings_hold_no_word_lists():
    """English word lists live in unspin.lang.en; findings/ holds identifiers only (finding
    types, value kinds, diff operations and their keys), which the allow-list names."""
    allowed = {"num", "money", "year", "month", "day", "ord", "replace", "insert", "delete", "equal",
               "exact", "quote", "narration", "none", "high", "medium", "low", "supported",
               "contradicted", "unsupported", "non_word", "fragment", "run_together", "stray_words",
               "duplicate", "op", "source", "candidate", "content", "function", "variant"}
    bad = []
    for path in FINDINGS.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef) and n.body
                      and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if id(node) in docstrings or not _word_literal(node):
                continue
            elts = getattr(node, "elts", None) or getattr(node, "keys", None) or []
            values = {e.value for e in elts if isinstance(e, ast.Constant)}
            if values and values <= allowed | {str(t) for t in FINDING_TYPES}:
                continue
            bad.append(f"{path.name}:{node.lineno}")
    assert not bad, bad


def test_role_views_are_parts_of_the_one_table():
    assert SPEAKER_ROLES.items() <= ROLES.items()
    assert NARRATION_ROLES.items() <= ROLES.items()
    assert set(SPEAKER_ROLES) | set(NARRATION_ROLES) == set(ROLES)


FINDING_TYPES = {"altered_quote", "fabricated_quote", "unsupported_claim", "omission", "changed_fact",
                 "attribution_change", "meaning_shift", "garbled_text"}


# The pipeline modules outside findings/ that once held English word lists of their own.
PIPELINE = ["segment.py", "ingest.py", "align.py", "passages.py", "verdict.py", "cli.py", "report/*.py"]
# HTML markup and clutter-kind identifiers, which are no English: the names allowed to hold them
MARKUP_NAMES = {"ingest.py": {"_HTML_TAG", "_INLINE_TAGS", "_HTML_TOKEN", "_STRONG_CLUTTER"}}
ANY_WORD = re.compile(r"[A-Za-z]{2,}(?:'[a-z]+)?")
LETTERS = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
# five or more words alternated in a regular expression: "(?:said|says|told|added|adds)"
ALTERNATION = re.compile(r"(?:\b[A-Za-z]{2,}(?:[ _][a-z]+)?\|){4,}[A-Za-z]{2,}\b")


def _language_data(node: ast.AST) -> bool:
    """Anything inside ``node`` that is English data: a collection of five or more words, a
    whitespace-separated string of five or more words, or a word alternation of five or more."""
    for n in ast.walk(node):
        elts = (n.keys if isinstance(n, ast.Dict)
                else n.elts if isinstance(n, ast.Set | ast.Tuple | ast.List) else None)
        if elts is not None:
            words = [e for e in elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
                     and ANY_WORD.fullmatch(e.value)]
            if len(words) >= 5:
                return True
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            toks = n.value.split()
            if ALTERNATION.search(n.value) or (all(LETTERS.fullmatch(t.replace("_", "")) for t in toks)
                                               and sum(bool(ANY_WORD.fullmatch(t)) for t in toks) >= 5):
                return True
    return False


def _module_language_data(source: str, allowed: set[str] = frozenset()) -> list[str]:
    """The module-level names of ``source`` bound to English data (word lists, word patterns)."""
    bad = []
    for st in ast.parse(source).body:
        if not isinstance(st, ast.Assign | ast.AnnAssign) or st.value is None:
            continue
        targets = st.targets if isinstance(st, ast.Assign) else [st.target]
        names = {t.id for t in targets if isinstance(t, ast.Name)}
        if not names <= allowed and _language_data(st.value):
            bad.append(f"{st.lineno} {', '.join(sorted(names))}")
    return bad


def test_pipeline_modules_hold_no_word_lists():
    """The standard: language data (word lists, patterns) lives in one language layer,
    unspin.lang.en; the pipeline modules import it under their own names."""
    package = ROOT / "src" / "unspin"
    bad = []
    for pattern in PIPELINE:
        for path in sorted(package.glob(pattern)):
            rel = str(path.relative_to(package))
            found = _module_language_data(path.read_text(encoding="utf-8"), MARKUP_NAMES.get(rel, set()))
            bad += [f"{rel}:{b}" for b in found]
    assert not bad, bad


def test_the_word_list_check_catches_word_lists():
    """The check above would have failed on the modules as they stood before the move."""
    caught = _module_language_data('_TITLES = _wordset("""mr mrs ms mx messrs mme\n    mlle dr""")\n'
                                   '_NEEDS_NUMBER = _wordset("no nos jan feb mar")\n'
                                   "_PARTICIPLES = frozenset({'saying', 'adding', 'telling', 'insisting',\n"
                                   "                          'explaining'})\n"
                                   '_SPEECH = re.compile(r"\\b(?:said|says|asked|asks|told)\\b")\n'
                                   '_FOLD = str.maketrans({"a": "b"})\n_WORDS = re.compile(r"\\w+")\n')
    assert [c.split()[1] for c in caught] == ["_TITLES", "_NEEDS_NUMBER", "_PARTICIPLES", "_SPEECH"]
