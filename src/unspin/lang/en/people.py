"""How news copy names people: role nouns (one table), titles, relatives, pronouns, the
nouns a statement can come from, and the genders words give away."""

from __future__ import annotations

from unspin.lang.en.dates import DAYS, MONTHS
from unspin.lang.en.lexicon import groups, words

# Role nouns a person is named by in news copy, each with its class: two mentions of one
# class may be the same person ("the prosecutor", "counsel for the Crown"). The one table of
# roles; the views below are the parts of it each reader of roles was tuned with.
ROLES: dict[str, str] = {
    "judge": "judge", "justice": "judge", "recorder": "judge", "magistrate": "judge",
    "magistrates": "judge", "sheriff": "judge", "coroner": "judge", "bench": "judge",
    "prosecutor": "prosecution", "prosecutors": "prosecution", "prosecuting": "prosecution",
    "prosecution": "prosecution", "crown": "prosecution",
    "defending": "defence", "defence": "defence", "defense": "defence", "mitigating": "defence",
    "counsel": "lawyer", "barrister": "lawyer", "solicitor": "lawyer", "lawyer": "lawyer",
    "lawyers": "lawyer", "advocate": "lawyer", "attorney": "lawyer", "qc": "lawyer",
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "spokesperson": "spokesperson",
    "representative": "spokesperson",
    "police": "police", "officer": "police", "detective": "police", "inspector": "police",
    "constable": "police", "sergeant": "police", "superintendent": "police",
    "manager": "company", "director": "company", "executive": "company", "chairman": "company",
    "boss": "company", "employer": "company",
    "secretary": "secretary", "witness": "witness", "victim": "victim", "defendant": "defendant",
    "minister": "government", "official": "official", "officials": "official",
    # relatives: a wife, a girlfriend or a son is none of the parties above
    "wife": "family", "husband": "family", "girlfriend": "family", "boyfriend": "family",
    "mother": "family", "father": "family", "son": "family", "daughter": "family",
    "brother": "family", "sister": "family", "fiancee": "family", "fiance": "family",
    "widow": "family", "widower": "family",
    # forms only the narrated-attribution reading takes (see NARRATION_ROLES)
    "mitigation": "defence", "officers": "police", "solicitor-advocate": "lawyer",
}
# role classes that may be one person: a lawyer prosecutes or defends
ROLE_COMPATIBLE = frozenset({frozenset({"lawyer", "prosecution"}), frozenset({"lawyer", "defence"}),
                             frozenset({"official", "spokesperson"}), frozenset({"official", "government"}),
                             frozenset({"official", "police"})})

# Quotation speakers (findings.quotes) and the consistency-model findings read every role but
# the three forms the narrated reading added.
SPEAKER_ROLES: dict[str, str] = {w: c for w, c in ROLES.items()
                                 if w not in ("mitigation", "officers", "solicitor-advocate")}
# Narrated attribution (findings.shifts: "Mr X, prosecuting, said" turned into "Mr Y said")
# compares only the parties of a hearing and their spokespeople, without the plural "lawyers"
# and "superintendent", and takes neither a government nor the police for an official.
NARRATION_ROLES: dict[str, str] = {
    w: c for w, c in ROLES.items()
    if c in ("judge", "prosecution", "defence", "lawyer", "police", "spokesperson", "official", "witness")
    and w not in ("lawyers", "superintendent")}
NARRATION_ROLE_COMPATIBLE = ROLE_COMPATIBLE - {frozenset({"official", "government"}),
                                               frozenset({"official", "police"})}
# classes a named person who is not known to hold one cannot be ("the judge" is not "Mr X")
NARRATION_DISTINCT_ROLES = ("judge", "prosecution", "defence", "spokesperson")
# classes that may speak for an organisation ("the company argued" ~ "its lawyer said")
ORGANISATION_VOICES = ("lawyer", "prosecution", "defence", "spokesperson", "official")
# role words that, capitalised, still name a role ("Judge Smith")
CAPITALISED_ROLES = ("judge", "justice", "recorder")
# plural parties a quotation is given to, as capitalised at a sentence's start
PLURAL_ROLES = ("Prosecutors", "Lawyers", "Police", "Officials", "Magistrates", "Detectives", "Officers")

# Titles written before a name ("Mr Sturt", "Dr Patel"): part of the name a finding points at.
TITLES: frozenset[str] = words("""
mr mrs ms miss dr sir lord lady dame professor prof rev judge justice det insp sgt pc supt
""")
# capitalised words that open or stand before a name without being one (changed names skip them)
NAME_TITLES = words("""
mr mrs ms miss dr sir lord lady judge justice recorder president secretary prime minister chief
officer inspector sergeant constable detective professor rev reverend st saint king queen prince
princess duke duchess pc wpc ps dc dci di ds dsupt sgt insp supt det cllr councillor cpl lt col
gen capt maj brig adm pte gov sen rep hon
""")
# titles and offices of quoted speakers, with the sex a title gives (None: either)
SPEAKER_TITLES: dict[str, str | None] = {
    "mr": "m", "mr.": "m", "sir": "m", "lord": "m", "mrs": "f", "mrs.": "f", "ms": "f",
    "ms.": "f", "miss": "f", "lady": "f", "dame": "f", "dr": None, "dr.": None, "prof": None,
    "professor": None, "president": None, "senator": None, "sen": None, "rep": None,
    "gov": None, "governor": None, "secretary": None, "minister": None, "chancellor": None,
    "det": None, "insp": None, "sgt": None, "pc": None, "supt": None, "chief": None,
    "councillor": None, "cllr": None, "rev": None, "father": None, "qc": None, "mp": None}
# the titles that give a sex, as written without a full stop
TITLE_GENDER: dict[str, str] = {w: g for w, g in SPEAKER_TITLES.items() if g and not w.endswith(".")}
# titles a narrated speaker's name may carry
SPEAKER_NAME_TITLES = words("""
mr mrs ms miss dr sir lord lady dame judge justice recorder president prosecutor professor
""")
# what may stand before the capitalised words of a name in a noun phrase ("the Mr Smith")
NAME_PHRASE_OPENERS = ("the", "a", "an", "mr", "mrs", "ms", "miss", "dr")
# the titles a document names its people by (matched capitalised, a full stop allowed)
PERSON_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Dr", "Judge", "Sir", "Lady", "Lord", "Prof", "Det", "Pc", "Sgt")
# titles that introduce a given name ("Mrs Jane Doe")
GIVEN_NAME_TITLES = ("Mrs", "Miss", "Ms", "Mr", "Sir", "Lady")
# lower-case words inside a name ("Ursula von der Leyen")
NAME_PARTICLES = ("de", "van", "von", "da", "di", "du", "le", "la", "al", "bin")
# capitalised words that are never a name inside a sentence
NOT_NAMES = MONTHS | DAYS | frozenset(["i"])

# family relations and sexed person nouns, synonyms together (the first names the relation):
# one swapped for another names a different person ('his ailing mother' -> 'his ailing
# father'); the neutral words (parent, child, partner) are a generalisation, not a change
KIN: tuple[tuple[str, ...], ...] = groups("""
mother:mum:mummy:mom:mam father:dad:daddy:pop son daughter brother sister husband wife boyfriend
girlfriend grandmother:grandma:granny:nan:nanny grandfather:grandpa:granddad:grandad grandson
granddaughter aunt:auntie uncle niece nephew stepfather stepmother stepson stepdaughter widow
widower fiance fiancee man woman boy girl
""")
# the sex a person noun gives
GENDERED: dict[str, str] = {
    "spokesman": "m", "spokeswoman": "f", "chairman": "m", "chairwoman": "f", "mother": "f",
    "father": "m", "wife": "f", "husband": "m", "daughter": "f", "son": "m", "woman": "f",
    "man": "m", "policeman": "m", "policewoman": "f"}
# the nouns that may introduce a given name ("his wife Kathy"), with the sex they give
KIN_GENDER: dict[str, str | None] = {**GENDERED, "sister": "f", "brother": "m", "girlfriend": "f",
                                     "boyfriend": "m", "widow": "f", "widower": "m", "fiancee": "f",
                                     "fiance": "m", "partner": None}
POSSESSIVE_GENDER = {"his": "m", "her": "f"}
SUBJECT_PRONOUN_GENDER = {"he": "m", "she": "f"}
PRONOUN_GENDER: dict[str, str | None] = {"he": "m", "him": "m", "she": "f", "her": "f", "they": None,
                                         "i": None, "we": None}
# pronouns a narrated statement's subject may be
PRONOUNS = frozenset(["he", "she", "they", "it", "i", "we", "you", "his", "her", "their", "its"])
SUBJECT_PRONOUNS = ("he", "she", "they")

# people a statement can come from, besides the roles
PERSON_NOUNS = words("""
secretary assistant aide manager director chairman chairwoman chief executive boss head owner
landlord tenant neighbour neighbor friend relative mother father wife husband son daughter sister
brother parent partner colleague employee employer victim witness doctor nurse surgeon expert
analyst minister councillor mp senator governor mayor president leader spokesman teacher pupil
student resident neighbour survivor customer client patient supervisor foreman worker driver
passenger engineer pilot officer guard surveyor accountant architect builder consultant adviser
advisor investigator auditor scientist researcher
""")
# bodies a statement can come from ('the company argued'): a person who is not its spokesman,
# lawyer or head is someone else
ORG_NOUNS = words("""
company firm council authority government department ministry agency club school college university
hospital trust board society association bank business employer union charity corporation
organisation organization group commission committee inquiry watchdog regulator airline insurer
""")
SPEAKS_FOR = words("""
director chairman chairwoman chair chief executive boss head owner manager leader president
secretary spokesman spokeswoman spokesperson representative official officials
""")
# bodies that hear, not speak ("the court heard")
HEARING_BODIES = ("court", "jury", "tribunal", "hearing")
# the two sides of a case: never one person
OPPOSING_SIDES = frozenset({"defence", "prosecution"})

# ---- sentence splitting and quotation speakers (unspin.segment)
# subject pronouns a quotation is given to, with the sex each gives (None: either)
ATTRIBUTION_PRONOUNS = {"he": "m", "she": "f", "they": None, "we": None, "i": None}

# subjects that point at no person a quotation can be given to
UNRESOLVABLE_SUBJECTS = frozenset({"it", "which", "who", "that", "this", "you"})

# titles and offices before a name, capitalised, as one regex alternation (quotation speakers)
TITLE_ALTERNATION = (
    "Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Professor|Sir|Dame|Lord|Lady|Judge|Justice|Recorder|"
    "President|Vice|Secretary|Minister|Prime|Chancellor|Senator|Sen|Rep|Representative|Gov|"
    "Governor|Mayor|Rev|Reverend|Father|Sister|Brother|Captain|Capt|Commander|General|Gen|"
    "Colonel|Col|Lieutenant|Lt|Sergeant|Sgt|Detective|Det|Inspector|Insp|Chief|Constable|"
    "PC|DC|DI|DS|DCI|Supt|Superintendent|Officer|King|Queen|Prince|Princess|Duke|Duchess|"
    "Pope|Cardinal|Bishop|Archbishop|Rabbi|Imam|Ambassador|Commissioner|Chairman|Councillor|"
    "Cllr|Alderman|Attorney|Coroner|Sheriff|Deputy|Assistant|Senior|Master|Baroness|Baron|"
    "Earl|Count|Countess|Chairwoman|Director|Speaker"
)

# capitalised words that open a clause and are no part of a name, as one regex alternation
NOT_NAME_CAPS = (
    "The|A|An|When|As|After|Before|But|And|Or|So|Yet|In|On|At|For|From|With|By|If|While|"
    "Although|Though|Because|Since|Yesterday|Today|Tonight|Later|Earlier|Then|Now|Meanwhile|"
    "However|Also|Asked|Pressed|Speaking|Explaining|Jailing|Sentencing|Outside|Prosecuting|"
    "Defending|Mitigating|Representing|Giving|Opening|Closing|Summing|Addressing|Under|"
    "During|Not|This|That|These|Those|His|Her|Their|Its|Our|My|It|He|She|They|We|I|You|"
    "There|Here|What|Why|How|Where|Who|Which|Both|Each|All|Some|Many|Most|One|Two|Three"
)

# lower-case particles inside a name, as a regex group (quotation speakers)
NAME_PARTICLE_PATTERN = r"(?:van|von|de|der|den|du|da|di|del|della|le|la|bin|al|ibn|ter|ten|dos|das|y)"

# what may follow a name ('QC', 'Jr.'), as a regex group
NAME_SUFFIX_PATTERN = r"(?:QC|KC|MP|MEP|MSP|Jr\.?|Sr\.?|Jnr|Snr|II|III|IV)"

# words in a speaker's name or description that make the speaker a man
MALE_WORDS = words("""mr sir lord king prince duke father brother baron earl count spokesman man
    husband son boy chairman businessman policeman""")

# words in a speaker's name or description that make the speaker a woman
FEMALE_WORDS = words("""mrs ms miss lady dame queen princess duchess sister baroness countess spokeswoman
    chairwoman woman wife mother daughter girl businesswoman policewoman""")

# 'the judge' after 'Judge Griggs': the title words a role noun refers back to
ROLE_TITLE_WORDS = {
    "judge": ("judge", "justice", "recorder"),
    "recorder": ("recorder",),
    "magistrate": ("magistrate", "judge"),
    "president": ("president",),
    "secretary": ("secretary",),
    "minister": ("minister",),
    "commissioner": ("commissioner",),
    "inspector": ("inspector", "insp"),
    "detective": ("detective", "det"),
    "coroner": ("coroner",),
    "chairman": ("chairman",),
    "mayor": ("mayor",),
}

# a title before a name, an office 'of' somewhere included, as a regex group (quotation speakers)
TITLE_PATTERN = (
    rf"(?:(?:Secretary|Minister|Chancellor|Duke|Duchess|Prince|Princess|Earl|Attorney|"
    rf"Solicitor|Master)\s+(?:of|for)\s+(?:the\s+)?[A-Z][a-z]+(?:\s+and\s+[A-Z][a-z]+)?"
    rf"|(?:{TITLE_ALTERNATION})\.?)"
)

# what comparing speakers drops from a name besides the titles ("Mr Smith QC" ~ "Smith")
CANONICAL_DROP_EXTRA = frozenset({"of", "for", "state", "the", "QC", "KC", "MP", "MEP", "Jr",
                                  "Sr", "Jnr", "Snr", "II", "III", "IV"})
