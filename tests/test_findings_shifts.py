"""meaning_shift and narrated attribution_change on real pairs from the seed and dev cases,
and faithful paraphrases from the cases' faithful_candidate_sentences that must stay clean."""

from __future__ import annotations

import pytest
from test_findings_facts import make_ctx

from unspin.findings import shifts


def kinds(src: str, cand: str, ftype: str = "meaning_shift"):
    return [f for f in shifts.detect(make_ctx([src], [cand])) if f.type == ftype]


@pytest.mark.parametrize("src,cand,reason,expect_in_span", [
    # relation inverted
    ("She was acquitted on a charge of assaulting Mrs Thompson.",
     "She was also convicted of assaulting Mrs Thompson.", "relation", "convicted"),
    ("Under cross-examination by the PGA's counsel, Jenny Eady, Mrs Owen denied she was mistaken in "
     "attributing the remark to Mr Paton or that she had “exaggerated” her account of the conversation.",
     "Cross-examined by Jenny Eady, counsel for the PGA, Mrs Owen conceded she may have been mistaken in "
     "attributing the comment to Mr Paton, but rejected the suggestion that she had “exaggerated” her "
     "version "
     "of the conversation.", "relation", "conceded she may have been mistaken"),
    # negation
    ("He had put the ship on auto-pilot but had turned off a watch-keeping alarm which should have sounded "
     "every ten minutes to ensure someone was there.",
     "Pawluk had switched the ship to auto-pilot, but a watch-keeping alarm which should have sounded every "
     "ten minutes to check someone was on duty failed to go off.", "negation", "failed to go off"),
    # hedging added / removed
    ("The father of one hung his head as Recorder Nicola Davies QC told him that only a custodial sentence "
     "was suitable given the gravity of the offences.",
     "The father of one bowed his head as Recorder Nicola Davies QC told him that, given the seriousness of "
     "the offences, a custodial sentence was probably the most appropriate option.", "hedge_added",
     "probably the most appropriate option"),
    ("The judge said he was satisfied there was a clearly arguable case for breach of trade mark in the Lara "
     "Croft name and Tomb Raider logo.",
     "Mr Justice Lloyd said he was satisfied that Playboy had clearly breached the trade mark in the Lara "
     "Croft name and the Tomb Raider logo.", "hedge_removed", "clearly breached"),
    ("“I would have thought to transport using damaged partitions was very unwise.",
     "Mr Taylor said that using damaged partitions to transport the birds was perhaps not ideal, adding that "
     "ostriches are inquisitive with their necks.", "hedge_added", "perhaps not ideal"),
    # intensity
    ("A television researcher accused of arranging for fake guests to appear on the BBC's Vanessa show today "
     "accepted “large” libel damages in the High Court.",
     "A TV researcher who was accused of setting up fake guests on the BBC’s Vanessa programme today "
     "accepted "
     "modest libel damages at the High Court.", "intensity", "modest libel damages"),
    ("“Some suffered from acute short-term effects of exposure to the chemicals.”",
     "Many of them suffered lasting health problems as a result of being exposed to the chemicals.",
     "intensity", "lasting health problems"),
    # agent and patient swapped
    ("Ms Barry said that Reidy had become scared by Mr Horton and that he had run away across the fields.",
     "Ms Barry said Reidy was in a state of shock and panic before he fled, adding that he had scared Mr "
     "Horton before running off across the fields.", "voice", "scared Mr Horton"),
    # scope widened
    ("When pressed by O'Donnell on whether Mr. Biden's comments were the position of the U.S. government, "
     "Blinken responded that the president \"speaks for all of us.\"",
     "When asked by O’Donnell if Mr. Biden’s statements represented the stance of the U.S. government, "
     "Blinken stated that the president speaks on behalf of all Americans.", "scope", "all Americans"),
])
def test_shifts_in_case_pairs(src, cand, reason, expect_in_span):
    found = kinds(src, cand)
    assert len(found) == 1, found
    f = found[0]
    assert reason in f.details["reasons"]
    assert expect_in_span in f.candidate.text
    assert f.explanation.endswith(".")
    assert f.severity in ("high", "medium")


FAITHFUL = [
    ("It was not carrying any cargo but had 16,000 litres of diesel on board.",
     "She was carrying no cargo but had 16,000 litres of diesel on board."),
    ("The six-strong crew of the vessel were still in their bunks when it ran aground in heavy seas.",
     "The vessel's six-strong crew had not yet left their bunks when it grounded in heavy seas."),
    ("Most of the families living in the houses in Erith, Kent, have not been able to return to their homes "
     "since the effluent poured into them in November 1998.",
     "Most of the families whose homes in Erith, Kent, were affected have been unable to move back since the "
     "effluent poured in during November 1998."),
    ("The company had pleaded guilty to the charges at a hearing at Bexley Magistrates Court on January 14 "
     "this year, but the magistrates decided its sentencing powers were insufficient and committed the "
     "matter "
     "to a Crown Court.",
     "The firm had admitted the charges at Bexley Magistrates Court on January 14 this year, but the "
     "magistrates decided their sentencing powers were not sufficient and sent the case to the Crown Court."),
    ("When Mrs Amor was handcuffed, her daughter Sophia, 20, was said to have waved a hockey stick at police "
     "officers.",
     "Her daughter Sophia, 20, allegedly brandished a hockey stick at officers as Mrs Amor was being "
     "handcuffed."),
    ("Judy Owen, who claims the PGA's request to wear a skirt amounted to sexual discrimination, told an "
     "employment tribunal that Gerry Paton, the PGA's director of training, grinned as he made the comment.",
     "Judy Owen, who alleges that the PGA’s request that she wear a skirt was sex discrimination, told an "
     "employment tribunal that the remark was made by Gerry Paton, the association’s director of training, "
     "who grinned as he said it."),
    ("One item featured a woman who alleged that she wanted a divorce when, in fact, she was not married, he "
     "said.",
     "He said one segment featured a woman who claimed she wanted a divorce when she was not actually "
     "married."),
    ("\"It's clear that we will continue to say things and continue to do things that China doesn't like, "
     "just as I assume that they will continue to do and say things that we don't like,\" Blinken continued.",
     "Blinken stated that it is evident that both China and the US will continue to express opinions "
     "and take "
     "actions that may not be favorable to the other."),
    ("\"Well, it's not exactly a secret that we have two very different systems,\" Blinken said.",
     "Blinken acknowledged that there are clear differences between our two systems."),
    ("Surveyors' reports compiled after a three-year crime spree revealed the often defective work to be "
     "worth little more than £5,500.",
     "Surveyors' reports drawn up after the three-year spree of offending found that the work, which was "
     "frequently defective, was worth little more than £5,500."),
    # METER courts copy: a hedge kept in other words, a clause dropped with its hedge
    ("It is thought an elderly couple may have witnessed the incident.",
     "It is thought that an elderly couple may have seen the incident."),
    ("David Smith, described by the judge as “extremely dangerous to women and likely to remain so”, "
     "murdered a prostitute.",
     "David Smith, described by a judge as \"extremely dangerous to women\", murdered a prostitute."),
    ("Deborah Price, 25, also received a public apology over an article published in The Mirror.",
     "Deborah Price, 25, was also given a public apology over an article that appeared in The Mirror."),
]


@pytest.mark.parametrize("src,cand", FAITHFUL)
def test_faithful_paraphrases_not_flagged(src, cand):
    assert shifts.detect(make_ctx([src], [cand])) == []


@pytest.mark.parametrize("src,cand,who", [
    ("Mr Barry Berlin, prosecuting, said that the birds _ all 12 to 14-month-old mature yearlings _ were at "
     "risk because of “sharp protrusions” on the partition gates dividing the pens.",
     "Mr Taylor said the birds – all mature yearlings aged between 12 and 14 months – had been put at "
     "risk by "
     "“sharp protrusions” on the partition gates", "taylor"),
    ("Playboy's claim that Miss McAndrew was the original model for Lara Croft was incorrect, Mr Hamer "
        "added.",
     "The judge also found that Playboy's claim that Miss McAndrew was the original model for Lara Croft was "
     "wrong, and that she was only the third of several models used since the game's launch.", "judge"),
    ("She alleged that she was told by Mr Paton's secretary that “ladies don't wear trousers at the PGA.”",
     "She claimed that Mr Paton himself had told her that “ladies don’t wear trousers at the PGA.”", "paton"),
])
def test_narrated_attribution_changes(src, cand, who):
    roles = ["The judge had been told by George Hamer, counsel for Core Design Ltd, that it was wrong.",
             "Mr Justice Lloyd granted an injunction.",
             "An inspection was carried out by the senior animal welfare officer, Graham Taylor."]
    ctx = make_ctx([src, *roles], [cand, *roles])
    found = [f for f in shifts.detect(ctx) if f.type == "attribution_change"]
    assert len(found) == 1, found
    assert found[0].details["candidate_speaker"] == who


def test_possessive_own_hands_the_act_to_the_subject():
    ctx = make_ctx(["The Crown Prosecution Service confirmed today that a new trial would take place "
        "after an "
                    "internal investigation at the court found the claim to be true."],
                   ["The Crown Prosecution Service confirmed today that the case would be heard again "
                       "after its "
                    "own internal investigation found the claim to be true."])
    found = [f for f in shifts.detect(ctx) if f.type == "attribution_change"]
    assert len(found) == 1 and "its own internal investigation" in found[0].candidate.text


def test_same_speaker_in_other_words_is_not_an_attribution_change():
    pairs = [
        ("Mr Carman asked Mr White for his reaction to suggestions that he was greedy.",
         "Asked by Mr Carman how he reacted to charges of greed, Mr White said he was not greedy."),
        ("Nicholas Webb, prosecuting, said one victim, 69-year-old Verna Hotchkiss, had been forced to "
            "have her "
         "15-year-old cat put down because she could not afford vet's fees.",
         "Prosecuting, Nicholas Webb said that one of the victims, 69-year-old Verna Hotchkiss, had "
         "been left "
         "with no choice but to have her 15-year-old cat put down as she could not afford the vet's bills."),
        ("Mr O'Brien said the family was experiencing great financial stress.",
         "According to Mr O'Brien, the family had been under severe financial strain."),
        ("Ms Price was the researcher who had arranged for the guests to appear on the show, he said.",
         "He told the court Ms Price had been the researcher responsible for booking the guests onto the "
         "programme."),
    ]
    for src, cand in pairs:
        assert [f for f in shifts.detect(make_ctx([src], [cand])) if f.type == "attribution_change"] == []


def test_nothing_when_not_derived():
    ctx = make_ctx(["She was acquitted."], ["She was convicted."], derived=False)
    assert shifts.detect(ctx) == []


def test_dev_and_seed_faithful_sentences_stay_clean(case_findings):
    """No shift or attribution flag on any faithful sentence of the seed and dev cases."""
    flagged = []
    for case_name, exp, found in case_findings:
        for f in found:
            if f.type == "meaning_shift" or (f.type == "attribution_change" and f.severity == "medium"):
                for s in exp.get("faithful_candidate_sentences", []):
                    if f.candidate and f.candidate.text in s:
                        flagged.append((case_name, f.candidate.text))
    assert not flagged


# ----------------------------------------------------------------------------------------------
# generalisations: own sentence pairs


@pytest.mark.parametrize("src,cand,reason", [
    # the source negated a word the candidate keeps, now affirmed
    ("The landlord said he was not surprised by the council's ruling.",
     "The landlord said he was deeply surprised by the council's ruling.", "negation"),
    # a quasi-negative quantity added: 'little risk', 'scant evidence'
    ("The inspector said a serious fire had only been prevented by chance.",
     "The inspector said there had been little risk of a serious fire.", "negation"),
    # how often, turned round
    ("She said she made occasional visits to the flat.",
     "She said she made frequent visits to the flat.", "intensity"),
    ("The driver was said to have routinely ignored the speed limit on the bypass.",
     "The driver was said to have rarely ignored the speed limit on the bypass.", "intensity"),
    # a share made whole
    ("The tribunal found the blame was shared between the school and the pupil's parents.",
     "The tribunal found the school bore full blame, not the pupil's parents.", "intensity"),
    # an open decision made final, and back
    ("The club is considering whether to appeal against the fine imposed by the league.",
     "The club has decided to appeal against the fine imposed by the league.", "hedge_removed"),
    ("The council has decided to close the library at the end of the year.",
     "The council is considering closing the library at the end of the year.", "hedge_added"),
    # belief turned into knowledge, and back
    ("Detectives believed the landlord was behind the fire at the warehouse.",
     "Detectives knew the landlord was behind the fire at the warehouse.", "hedge_removed"),
    ("The manager was aware that the scaffolding on the site was unsafe.",
     "The manager suspected that the scaffolding on the site was unsafe.", "hedge_added"),
    # a categorical statement hedged with a modal
    ("It was clear the driver had been drinking before the collision, the inspector said.",
     "The inspector said the driver might have been drinking before the collision.", "hedge_added"),
    # a ceiling made a floor, and back
    ("The builder said the job would take up to six weeks to finish.",
     "The builder said the job would take at least six weeks to finish.", "bound"),
    ("She said she had spent more than £500 on repairs to the roof.",
     "She said she had spent no more than £500 on repairs to the roof.", "bound"),
    # chasing and fleeing
    ("The boy told police he had fled from the gang near the station.",
     "The boy told police he had chased the gang near the station.", "relation"),
    # leaving by choice made forced, and back
    ("The headteacher resigned in March after a long illness.",
     "The headteacher was forced to resign in March after a long illness.", "relation"),
    ("The chairman was sacked in June after the club's heavy losses.",
     "The chairman quit in June after the club's heavy losses.", "relation"),
    # unable made unwilling
    ("The witness said he could not describe the man he saw in the car park.",
     "The witness said he refused to describe the man he saw in the car park.", "relation"),
])
def test_general_shifts(src, cand, reason):
    found = kinds(src, cand)
    assert len(found) == 1, found
    assert reason in found[0].details["reasons"]


@pytest.mark.parametrize("src,cand", [
    # 'nothing but', 'no more than': a limit, not a denial
    ("The prisoners were given bread and water for three days.",
     "The prisoners were given nothing but bread and water for three days."),
    ("The repair cost £40 at most.", "The repair cost no more than £40."),
    # a negator earlier in the clause cancels the prefix ('neither ... able' = 'both ... unable')
    ("Both witnesses had been unable to describe the driver of the van.",
     "Neither witness had been able to describe the driver of the van."),
    # 'seemed' is a hedge with or without 'to'
    ("The move seemed the only option left to the family.",
     "The move appeared to be the only option left to the family."),
    # the negated word said un-negated elsewhere in the source: not a dropped negation
    ("The drug is used in clinics and is dangerous if not used with care.",
     "The drug, used in clinics, is dangerous if handled carelessly."),
    # the source gives how often in other words
    ("He visited his mother in the care home frequently.", "He often visited his mother in the care home."),
    # the same bound in other words
    ("The fine could be up to £5,000 for each offence.",
     "The fine could be as much as £5,000 for each offence."),
    ("He served no more than 12 months of the sentence.", "He served at most 12 months of the sentence."),
    # knowledge in other words; 'known as' names, it does not know
    ("Police knew the house was used to store stolen goods.",
     "Police were aware the house was used to store stolen goods."),
    ("The man, who was known as Tiny, suspected his partner was lying.",
     "The man, known as Tiny, suspected his partner was lying."),
    # leaving a room is not leaving a post; retiring in other words
    ("The judge ordered him to leave the witness box.", "The judge told him to leave the witness box."),
    ("The officer retired on health grounds last year.",
     "The officer took early retirement on health grounds last year."),
    # unable in other words; a refusal kept
    ("She could not explain how the money went missing.",
     "She was unable to explain how the money went missing."),
    ("He refused to answer questions from the police.", "He declined to answer questions from the police."),
])
def test_general_faithful_not_flagged(src, cand):
    assert kinds(src, cand) == []


def test_own_with_the_owner_already_named_is_not_attribution():
    found = kinds("The hearing ended before the brothers could speak in their defence.",
                  "The hearing ended before the brothers could speak in their own defence.",
                  "attribution_change")
    assert found == []


def test_body_statement_given_to_a_person():
    found = kinds("The council argued that the collapse was the tenant's fault because he had ignored "
                  "repeated warnings about the roof.",
                  "A surveyor at Hartwell told the tribunal the collapse was the tenant's fault because he "
                  "had ignored repeated warnings about the roof.", "attribution_change")
    assert len(found) == 1 and found[0].details["candidate_speaker"] == "surveyor"


def test_body_statement_given_to_its_spokesman_is_not_a_change():
    found = kinds("The council argued that the collapse was the tenant's fault.",
                  "A spokesman for the council said the collapse was the tenant's fault.",
                  "attribution_change")
    assert found == []


def test_run_on_reported_speech_given_to_the_person_talked_about():
    src = ["Anne Roberts, defending, said her client had lost her job in March.",
           "She had been unable to pay the rent for months.",
           "But she now deeply regretted what she had done."]
    cand = ["Anne Roberts, defending, said her client had lost her job in March.",
            "She had been unable to pay the rent for months.",
            "Mrs Kelly told the court she now deeply regretted what she had done."]
    ctx = make_ctx(src + ["Mrs Kelly, 42, admitted theft."], cand + ["Mrs Kelly, 42, admitted theft."])
    found = [f for f in shifts.detect(ctx) if f.type == "attribution_change"]
    assert len(found) == 1 and found[0].details["source_speaker"] == "roberts"


def test_run_on_narration_about_the_earlier_speaker_is_not_a_change():
    src = ["Mrs Kelly said she had lost her job in March.", "She now deeply regretted what she had done."]
    cand = ["Mrs Kelly said she had lost her job in March.",
            "Mrs Kelly told the court she now deeply regretted what she had done."]
    assert [f for f in shifts.detect(make_ctx(src, cand)) if f.type == "attribution_change"] == []


@pytest.mark.parametrize("src,cand,reason,expect_in_span", [
    # converse action: waiting for the police vs running from them
    ("Realising they were coming, the man removed his mask and waited for them outside, the court heard.",
     "Realising they were coming, the man took off his mask and fled before officers arrived, the court "
     "heard.",
     "relation", "fled"),
    # the object of a denial now follows an admission
    ("Jones, of High Street, Leeds, denies two counts of theft and one count of fraud.",
     "Jones admits two counts of theft but denies the remaining charge.", "relation", "admits"),
    # a claim told to the police given as a discovery
    ("He claimed to have a brother and later told police his family had died in a fire in 1980.",
     "Police later discovered that his family had died in a fire in 1980.", "hedge_removed", "discovered"),
    # a settled plan made a possibility
    ("The hearing is now set to begin on March 3.", "The hearing could begin as early as March 3.",
     "hedge_added", "could"),
    # some of a group widened to all of it
    ("She said that at least one of the three brothers was in the car that night.",
     "She said that all of the three brothers were in the car that night.", "scope", "all of"),
])
def test_new_shift_families(src, cand, reason, expect_in_span):
    found = kinds(src, cand)
    assert len(found) == 1, found
    assert reason in found[0].details["reasons"]
    assert expect_in_span in found[0].candidate.text


@pytest.mark.parametrize("src,cand", [
    ("A saboteur who won £52,000 damages from a farmer today had the award taken away by appeal judges.",
     "A saboteur yesterday lost the £52,000 damages he won from a farmer."),
    ("Jones denies two counts of theft and one count of fraud.",
     "Jones denies both counts of theft and the fraud charge."),
    ("The hearing is now set to begin on March 3.", "The hearing will begin on March 3."),
    ("Mr Smith knew the company was in trouble, the court heard.",
     "Mr Smith claims he knew the company was in trouble, the court heard."),
    ("She said that at least one of the three brothers was in the car.",
     "She said one of the three brothers was in the car."),
    ("The man waited outside the shop for his friend.", "The man stayed outside the shop for his friend."),
])
def test_new_shift_families_leave_faithful_pairs(src, cand):
    assert kinds(src, cand) == []


def test_one_approximation_for_another_is_no_hedge():
    assert not kinds("The plant employs about 300 people on the site.",
                     "The plant employs roughly 300 people on the site.")
