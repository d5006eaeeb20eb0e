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
