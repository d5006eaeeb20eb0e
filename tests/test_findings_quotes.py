"""Direct quotations: word diffs, speakers, and the detector on real passages.

Literal passages are copied from the seed and dev cases; the case tests read ../shared
(skipped where absent) and run the whole pipeline, with the verdict forced to "derived" so
they test this detector and not the verdict.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from unspin.findings import quotes
from unspin.findings.context import Context
from unspin.findings.quoted import attributions, find_attribution, parse_person, same_person
from unspin.findings.quotes import diff_words, pieces, suspect_quote
from unspin.segment import segment
from unspin.text import tokenize
from unspin.types import Alignment, Coverage, Document, Link, Verdict

# --- words and diffs ------------------------------------------------------------------------


def norms(text: str) -> list[str]:
    return [t.norm for t in tokenize(text, scheme="quote")]


def diff(cand: str, src: str) -> list[tuple[str, str, str]]:
    d = diff_words(tokenize(cand, scheme="quote"), tokenize(src, scheme="quote"), cand, src)
    return [(o["op"], o["source"], o["candidate"]) for o in d.ops if o["op"] != "equal"]


def test_contractions_case_and_marks_are_not_changes():
    assert norms("and that's what we're doing") == norms("and that is what we are doing")
    assert norms("‘trust but verify,’") == norms("'Trust but verify,'")
    assert norms("I'm sure I was extremely offensive") == ["i", "am", "sure", "i", "was", "extremely",
                                                          "offensive"]
    assert norms("Mrs Amor's daughters") == ["mrs", "amor's", "daughters"]  # a possessive stays


def test_seed_trust_but_verify_diff():
    ops = diff("As the president stated yesterday, ‘trust but verify,’ and that is exactly what we are "
               "doing.", "As the president said yesterday, 'trust but verify,' and that's what we're doing,")
    assert ops == [("replace", "said", "stated"), ("insert", "", "exactly")]


def test_quoting_part_of_a_statement_is_faithful():
    src = ("At the very least you demonstrated a wanton and total disregard for the safety of your "
           "fellow crew members and the safety of other traffic on the high seas.")
    assert diff("a wanton and total disregard for the safety of your fellow crew members", src) == []
    # ...but a word changed inside the part quoted is a change
    assert diff("a wanton and total disregard for the safety of his fellow crew members", src) == [
        ("replace", "your", "his")]


def test_dropped_hedge_inside_a_long_quote():
    ops = diff("This caused five million gallons of effluent to be pumped into the River Thames,",
               "This caused an estimated five million gallons of effluent to be pumped into the River "
               "Thames.")
    assert ops == [("delete", "an estimated", "")]


def test_spelling_of_compounds_is_not_a_change():
    assert diff("It is only fair to have a retrial.", "It is only fair to have a re-trial.") == []
    assert diff("I got about halfway across", "I got about half way across") == []


def test_ellipsis_pieces_are_compared_separately():
    ps = pieces("I thought I was going to be killed ... I was terrified for my life")
    assert [" ".join(t.norm for t in p) for p in ps] == ["i thought i was going to be killed",
                                                        "i was terrified for my life"]
    src = "I thought I was going to be shot ... I was scared for my life"
    assert diff("I was terrified for my life", src) == [("replace", "scared", "terrified")]


def test_editorial_brackets_are_not_the_speakers_words():
    assert norms(" ".join(t.norm for p in pieces("[It is] a sorry state of affairs") for t in p)) == \
        ["a", "sorry", "state", "of", "affairs"]


def test_mispaired_single_quotes_are_suspect():
    assert suspect_quote("complete cast of fictional characters' to back his story. The 'innate snobbery",
                         "'")
    assert not suspect_quote("I'm sure I was extremely offensive", "'")
    assert not suspect_quote("The partition gates that formed pens in the vehicle were severely damaged", "“")


# --- speakers -------------------------------------------------------------------------------


def test_parse_person_names_roles_and_gender():
    p = parse_person("Mrs Justice Smith")
    assert p.names == {"smith"} and p.roles == {"judge"} and p.gender == "f"
    assert parse_person("The spokesman").roles == {"spokesperson"}
    assert parse_person("The spokesman").names == frozenset()
    # an organisation's words do not name the speaker
    assert parse_person("The Chinese foreign ministry’s representative").names == frozenset()
    assert parse_person("Playboy's barrister").names == frozenset()
    assert parse_person("he").pronoun


def test_same_person():
    def no_roles(_):
        return frozenset()

    def p(text):
        return parse_person(text)

    assert same_person(p("Mr Webb"), p("Mrs Justice Smith"), no_roles) is False
    assert same_person(p("Judge Griggs"), p("Judge Jeremy Griggs"), no_roles) is True
    assert same_person(p("the judge"), p("Judge Denis Orde"), no_roles) is True
    assert same_person(p("Prosecutors"), p("Judge Denis Orde"), no_roles) is False
    assert same_person(p("Mr Price"), p("Ms Price"), no_roles) is False  # one surname, two people
    # a role against a name with no known role: no telling
    assert same_person(p("The spokesman"), p("Mr Holland"), no_roles) is None
    assert same_person(p("The spokesman"), p("Mr Holland"), lambda _: frozenset({"company"})) is False


def test_attributions_in_narration():
    def who(narration):
        p = find_attribution(narration, len(narration))
        return p.text if p else None

    assert who("Mr Barry Berlin, prosecuting, said that the birds were at risk because of") == \
        "Mr Barry Berlin"
    assert who("are beneath contempt,  said Mr Browne.") == "Mr Browne"
    assert who("Defending, Ivor Frank said Boe felt he had been") == "Ivor Frank"
    assert who("Conservative education spokesman James Clappison, MP for Hertsmere, said later:") == \
        "James Clappison"
    assert who("Concluding, Miss Harold said:") == "Miss Harold"
    assert who("Earlier, Mrs Ferrier had told the trial: —") == "Mrs Ferrier"
    assert who("Earlier, the Recorder had told the jury: —") == "the Recorder"
    assert who("The magistrate: —") == "The magistrate"
    assert who("After the inquest Mr Stevenson said:") == "Mr Stevenson"
    assert who("Irving, the historian, was described yesterday as a") is None  # passive
    assert who("When she awoke she asked Cobb:") == "she"  # Cobb is asked, not speaking
    # the subject of "had described" is the staff, not Mrs Price
    assert who("He added that staff who worked for Mrs Price had described her as a") == "He"
    assert [p.text for _, p in attributions("She alleged that she was told by Mr Paton's secretary that")] \
        [-1:] == ["Mr Paton's secretary"]


# --- the detector on literal passages -------------------------------------------------------


def build(source: str, candidate: str, links: list[tuple[tuple, tuple]] = (),
          derived: bool = True) -> Context:
    src = segment(Document.from_text(source))
    cand = segment(Document.from_text(candidate))
    ls = [Link(s, c, 0.8, "paraphrase") for s, c in links]
    al = Alignment(ls, Coverage(0.8, 0.8, 0.1), src.sentences, cand.sentences)
    verdict = Verdict("wholly_derived" if derived else "not_derived", 0.9 if derived else 0.1, derived)
    return Context.build([src], cand, al, verdict)


def found(ctx: Context) -> list[tuple[str, str]]:
    return [(f.type, f.candidate.text) for f in quotes.detect(ctx)]


SEED_SRC = ('"Well look, he is," Mr. Biden said. "I mean, he\'s a dictator in the sense that he is a guy '
            'who runs a country that is a communist country."\n\n'
            'Cameras captured Blinken\'s uncomfortable response to Mr. Biden\'s remarks during Wednesday\'s '
            'news conference. A spokesperson for China\'s foreign ministry called the remarks "wrong" and '
            '"irresponsible."')
SEED_CAND = ("“It appears that he is,” stated Mr. Biden. “To clarify, he holds the position of a dictator as "
             "the leader of a communist nation.”\n\n"
             "During a news conference on Wednesday, cameras recorded Blinken’s uneasy reaction to President "
             "Biden’s statements. The Chinese foreign ministry’s representative criticized the remarks as "
             "“incorrect” and “reckless.”")


def test_reworded_quotes_in_linked_sentences_are_altered():
    ctx = build(SEED_SRC, SEED_CAND, links=[((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,))])
    got = found(ctx)
    assert ("altered_quote", "It appears that he is,") in got
    assert ("altered_quote", "To clarify, he holds the position of a dictator as the leader of a communist "
                             "nation.") in got
    # the two one-word quotes side by side make one finding
    assert ("altered_quote", "incorrect” and “reckless.") in got
    # "representative" and "spokesperson" are one role: no attribution change
    assert not [t for t, _ in got if t == "attribution_change"]
    f = next(f for f in quotes.detect(ctx) if f.candidate.text == "It appears that he is,")
    assert f.source.text == "Well look, he is"
    assert {"op": "replace", "source": "Well look", "candidate": "It appears that"} in f.details["diff"]


def test_unlinked_quote_is_fabricated_and_faithful_ones_are_not():
    source = ("Pleading for leniency, the barrister said his client was now a broken man.\n\n"
              "Explaining how Boe was able to obtain the money so easily, Mr Frank said: “He understood the "
              "system as no-one else did and was able to exploit weaknesses in that system.”")
    candidate = ("Explaining how Boe had been able to get hold of the money so easily, Mr Frank said: "
                 "“He understood the system as no-one else did and was able to exploit weaknesses in that "
                 "system.”\n\nAppealing for leniency, Mr Frank told the court his client was now a broken "
                 "man.\n\n“He is deeply ashamed of what he has done and wishes he could turn back the "
                 "clock,” he said.")
    got = found(build(source, candidate))
    assert got == [("fabricated_quote",
                    "He is deeply ashamed of what he has done and wishes he could turn back the clock,")]


def test_quote_given_to_another_speaker():
    source = ("Jailing the pair, Mrs Justice Smith told them: “These were despicable offences.\n\n"
              "“The distress and suffering which you have caused is immeasurable and you must understand "
              "that society feels a sense of revulsion for people such as you and expects there will be "
              "severe punishment,” she said.")
    candidate = ("Jailing them, Mrs Justice Smith said: \"These were despicable offences.\"\n\n"
                 "Mr Webb told the court: \"The distress and suffering which you have caused is immeasurable "
                 "and you must understand that society feels a sense of revulsion for people such as you and "
                 "expects there will be severe punishment.\"")
    fs = [f for f in quotes.detect(build(source, candidate)) if f.type == "attribution_change"]
    assert len(fs) == 1
    assert fs[0].candidate.text.startswith("Mr Webb told the court:")
    assert fs[0].details["source_speaker"] == "Mrs Justice Smith"


def test_quote_moved_to_a_relative_or_to_the_speakers_own_lawyer():
    source = ("Farmer Peter Ashdown, 61, lost his appeal at the county court.\n\n"
              "Mr Ashdown thanked his daughter Lucy, who had sat through every hearing.\n\n"
              "“We will keep fighting until the gate is open again,” said Mr Ashdown.\n\n"
              "Mr Ashdown said: “Nobody in that office has ever walked the path.”")
    candidate = ("Farmer Peter Ashdown, 61, was defeated in his appeal at the county court.\n\n"
                 "Mr Ashdown thanked his daughter Lucy, who attended every hearing.\n\n"
                 "Lucy Ashdown said: “We will keep fighting until the gate is open again.”\n\n"
                 "His solicitor added: “Nobody in that office has ever walked the path.”")
    fs = [f for f in quotes.detect(build(source, candidate)) if f.type == "attribution_change"]
    assert [f.details["candidate_speaker"] for f in fs] == ["Lucy Ashdown", "His solicitor"]


def test_reported_speech_given_to_another_speaker():
    source = ("Carl Dunmore told the court he had never stolen the van.\n\n"
              "In evidence he insisted the keys had been lost weeks before.\n\n"
              "His sister, who had lent him the keys, gave evidence that the van had been parked outside "
              "her flat all night.\n\n"
              "Miss Ruth Penrose, prosecuting, said the van was seen in Leeds at 2am.")
    candidate = ("Carl Dunmore told the court he had never taken the van.\n\n"
                 "His lawyer told the court the keys had been lost weeks before.\n\n"
                 "His barrister told the jury that the van had been parked outside her flat all night.\n\n"
                 "His solicitor said the van was seen in Leeds at 2am.")
    links = [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,))]
    fs = [f for f in quotes.detect(build(source, candidate, links)) if f.type == "attribution_change"]
    assert [f.details["candidate_speaker"] for f in fs] == ["His lawyer", "His barrister", "His solicitor"]
    assert [f.details["source_speaker"] for f in fs] == ["Carl Dunmore", "His sister", "Miss Ruth Penrose"]


def test_reported_speech_same_speaker_openers_and_questions_are_not_changes():
    source = ("Miss Ruth Penrose, prosecuting, said the van was seen in Leeds at 2am.\n\n"
              "Sentencing Dunmore, who had refused reports, Judge Alan Frost said he must serve two "
              "years.\n\n"
              "Mr Gale, for the insurers, asked Mr Dunmore if he had ever driven the van.")
    candidate = ("The prosecutor said the van had been seen in Leeds at 2am.\n\n"
                 "Judge Alan Frost told Dunmore he must serve two years.\n\n"
                 "Mr Dunmore told Mr Gale, for the insurers, that he had never driven the van.")
    links = [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    assert [f for f in quotes.detect(build(source, candidate, links)) if f.type == "attribution_change"] == []


def test_own_lawyer_speaking_for_a_lawyer_is_not_a_change():
    source = ("Miss Grey, defending, said: “My client has never denied being there.”")
    candidate = ("Her barrister said: “My client has never denied being there.”")
    assert found(build(source, candidate)) == []


def test_same_speaker_by_pronoun_and_indirect_speech_are_not_findings():
    source = ("Mr Hamer retorted that Playboy had no right to the “honest use” defence.\n\n"
              "“There are a great many ladies who are sexy but who would be shocked at the very idea of "
              "appearing in such a magazine,” he said.\n\n"
              "Mr Taylor said: “The vehicle was not adapted in any way.”")
    candidate = ("Mr Hamer hit back that Playboy had no right to rely on the \"honest use\" defence.\n\n"
                 "\"There are a great many ladies who are sexy but who would be shocked at the very idea of "
                 "appearing in such a magazine,\" he told the court.\n\n"
                 "He explained that the vehicle had not been modified in any way.")
    assert found(build(source, candidate)) == []


def test_not_derived_gives_nothing():
    assert found(build(SEED_SRC, SEED_CAND, derived=False)) == []


# --- the annotated cases --------------------------------------------------------------------


def _scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("score_cases", shared / "tools" / "score_cases.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _case_findings(case: Path, module) -> list[dict]:
    from unspin.api import compare

    r = compare(case / "source.txt", case / "candidate.txt")
    ctx = Context.build(r.sources, r.candidate, r.alignment, Verdict("wholly_derived", 0.9, True))
    out = []
    for m in ([module] if module is not quotes else [quotes]):
        out += [f.to_dict() for f in m.detect(ctx)]
    return out


def _cases(shared: Path) -> list[Path]:
    dev = sorted(p.parent for p in (shared / "cases" / "dev").glob("*/expected.json"))
    return [shared / "cases" / "seed", *dev]


MINE = {"altered_quote", "fabricated_quote"}


def test_cases_quote_findings_recall_and_no_false_flags(shared):
    sc = _scorer(shared)
    missed, faithful_flags = [], []
    for case in _cases(shared):
        exp = json.loads((case / "expected.json").read_text())
        if not exp["verdict"]["derived"]:
            continue
        got = _case_findings(case, quotes)
        for e in exp["findings"]:
            types = {e["type"], *e.get("also_accept", [])}
            if not e["required"] or e["type"] not in MINE:
                continue
            ok = any(f["type"] in types and sc.overlap(e["candidate_text"], f["candidate"]["text"])[0] >= 0.5
                     for f in got)
            if not ok:
                missed.append(f"{case.name}:{e['id']}")
        for f in got:
            if any(sc.same_place(f["candidate"]["text"], s) for s in exp["faithful_candidate_sentences"]):
                faithful_flags.append(f"{case.name}:{f['candidate']['text'][:60]}")
    assert missed == []
    assert faithful_flags == []


def test_cases_quote_borne_attribution_changes(shared):
    """dev 02, 04, 06 and 11 give a quotation to another speaker (08 too, to 'Prosecutors')."""
    sc = _scorer(shared)
    for name in ("02-shotgun-lady-bailiffs", "04-thames-water-sewage", "06-cowboy-builders-pensioners",
                 "08-drunken-sailor-grounding", "11-vanessa-researcher-libel"):
        case = shared / "cases" / "dev" / name
        exp = json.loads((case / "expected.json").read_text())
        want = next(e for e in exp["findings"] if e["type"] == "attribution_change")
        got = [f for f in _case_findings(case, quotes) if f["type"] == "attribution_change"]
        assert len(got) == 1, name
        assert sc.overlap(want["candidate_text"], got[0]["candidate"]["text"])[0] >= 0.5, name
