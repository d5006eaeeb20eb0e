"""PlagDet as computed by bench/pan13.py, on hand-made cases (no corpus needed)."""

import importlib.util
import math
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pan13():
    spec = importlib.util.spec_from_file_location("bench_pan13", ROOT / "bench" / "pan13.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_perfect_detection(pan13):
    A = pan13.Annotation
    cases = [A("p1", 100, 200, 50, 180), A("p2", 0, 40, 10, 40)]
    r = pan13.plagdet(cases, list(cases))
    assert r["plagdet"] == 1.0 and r["precision"] == 1.0 and r["recall"] == 1.0
    assert r["granularity"] == 1.0


def test_detection_split_in_halves(pan13):
    A = pan13.Annotation
    case = A("p1", 100, 200, 0, 100)
    halves = [A("p1", 100, 100, 0, 50), A("p1", 200, 100, 50, 50)]
    r = pan13.plagdet([case], halves)
    assert r["granularity"] == 2.0
    assert r["recall"] == 1.0 and r["precision"] == 1.0
    assert math.isclose(r["plagdet"], 1 / math.log2(3))


def test_wrong_source_range_detects_nothing(pan13):
    A = pan13.Annotation
    case = A("p1", 100, 200, 0, 100)
    wrong = A("p1", 100, 200, 500, 100)  # right place in the suspicious text, wrong in the source
    other_pair = A("p2", 100, 200, 0, 100)  # right offsets, other document pair
    r = pan13.plagdet([case], [wrong, other_pair])
    assert r["recall"] == 0.0 and r["precision"] == 0.0 and r["plagdet"] == 0.0
    assert r["granularity"] == 1.0


def test_partial_overlap_counts_characters_of_both_documents(pan13):
    A = pan13.Annotation
    case = A("p1", 0, 100, 0, 100)
    # covers 50 of the case's suspicious chars and all 100 source chars; 150 of its own 300 are in the case
    det = A("p1", 50, 100, 0, 200)
    r = pan13.plagdet([case], [det])
    assert math.isclose(r["recall"], 150 / 200)
    assert math.isclose(r["precision"], 150 / 300)
    # two detections overlapping each other: their union counts once
    r2 = pan13.plagdet([case], [A("p1", 0, 60, 0, 60), A("p1", 40, 60, 40, 60)])
    assert math.isclose(r2["recall"], 1.0) and r2["granularity"] == 2.0


def test_missed_case_and_false_detection_average_in(pan13):
    A = pan13.Annotation
    cases = [A("p1", 0, 100, 0, 100), A("p2", 0, 100, 0, 100)]
    dets = [A("p1", 0, 100, 0, 100), A("p3", 0, 10, 0, 10)]  # p2 missed; p3 has no case
    r = pan13.plagdet(cases, dets)
    assert r["recall"] == 0.5 and r["precision"] == 0.5 and r["granularity"] == 1.0


def test_nothing_detected(pan13):
    A = pan13.Annotation
    r = pan13.plagdet([A("p1", 0, 100, 0, 100)], [])
    assert r["plagdet"] == 0.0 and r["recall"] == 0.0 and r["granularity"] == 1.0


def test_trigram_containment(pan13):
    assert pan13.trigram_containment("The cat sat on the mat", "the CAT sat on a mat") == 2 / 4
    assert pan13.trigram_containment("two words", "two words") == 0.0
