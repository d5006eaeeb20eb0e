"""Abbreviations: the ones that end in a full stop mid-sentence, web address endings, and the
short forms of place names news copy uses."""

from __future__ import annotations

from unspin.lang.en.lexicon import words

# Lower-case tokens that end in a full stop without ending the sentence.
ABBREVIATIONS = words("""
mr mrs ms dr st jr sr prof rev hon gen col lt sgt capt cpl maj adm gov sen rep pres supt insp
det con pc no nos vs v etc eg ie al approx incl esp cf ca fig vol ch pp ed eds est dept
inc ltd co corp plc bros assn univ ave rd blvd mt ft jan feb mar apr jun jul aug sep sept oct
nov dec mon tue tues wed thu thur thurs fri sat sun am pm p
yorks berks oxon hants bucks glos lancs notts northants cambs herts wilts beds leics lincs staffs
worcs warks salop mass calif conn fla ill tex penn wash ariz colo okla
""")
# What follows the dot of a web address or file name: "CBSNews.com", "report.pdf".
TLDS = words("""
com org net gov edu mil int co uk us eu de fr it es nl be ie au nz ca in io ai tv me info biz ly
gl fm am js ts py pdf html htm php asp aspx jpg jpeg png gif doc docx txt xml json csv xls xlsx
""")
# top-level domains that are also English words: "stop.it" is more likely a lost space
WORDLIKE_TLDS = words("in it me am be us is to")
# postal abbreviations news copy uses for places, where the short form is not a prefix
PLACE_ABBREVIATIONS = {
    "oxon": "oxfordshire", "hants": "hampshire", "herts": "hertfordshire",
    "glos": "gloucestershire", "northants": "northamptonshire", "notts": "nottinghamshire",
    "lancs": "lancashire", "leics": "leicestershire", "lincs": "lincolnshire",
    "staffs": "staffordshire", "wilts": "wiltshire", "worcs": "worcestershire",
    "beds": "bedfordshire", "bucks": "buckinghamshire", "cambs": "cambridgeshire",
    "yorks": "yorkshire", "berks": "berkshire", "salop": "shropshire", "co": "county",
    "calif": "california", "mass": "massachusetts", "penn": "pennsylvania"}

# ---- sentence splitting and quotation speakers (unspin.segment)
# abbreviations before a name or number that never end a sentence (sentence splitting)
NAME_ABBREVIATIONS = words("""
mr mrs ms mx messrs mme mlle dr prof rev revd hon sen rep gov gen lt col maj capt cpt
    cmdr cdr adm brig sgt cpl pte pvt insp det supt fr pres amb atty sec supt dep asst
    vs v cf viz ca approx fig figs eq op vol vols pp art ch""")

# abbreviations that may also end a sentence: split only before a typical opener
MAYBE_FINAL_ABBREVIATIONS = words("""st mt ft etc al inc ltd co corp bros jr sr jnr snr esq plc llc dept
    univ assn ave blvd rd est ref mass""")

# abbreviations that stand before a number ('No. 10', 'Jan. 5'): a sentence ends unless one follows
NUMBER_ABBREVIATIONS = words("no nos jan feb mar apr jun jul aug sep sept oct nov dec tel")

# US state abbreviations, as written capitalised ('Calif.'): split only before an opener
STATE_ABBREVIATIONS = words("""
Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mich Minn Miss Mo
    Mont Neb Nev Okla Ore Pa Penn Tenn Tex Va Vt Wash Wis Wyo""")

# dotted abbreviations a sentence never ends on
NEVER_SPLIT_ACRONYMS = frozenset({"e.g", "i.e", "viz", "cf"})

# what follows the dot of an address or file name, as sentence splitting reads it (differs from TLDS)
SENTENCE_TLDS = words("""com org net edu gov mil int info biz io co uk us eu de fr ca au nz ie in jp cn ru nl
    es it ch se no tv me ly gl html htm php asp aspx jsp pdf doc docx xls xlsx ppt pptx txt
    csv json xml jpg jpeg png gif svg mp3 mp4 zip exe py js ts md""")
