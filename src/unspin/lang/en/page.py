"""Page furniture: the generic words of site chrome around an article (labels, share bars,
bylines and bios, date lines, comment threads, section markers), which text extraction drops."""

from __future__ import annotations

import re

from unspin.lang.en.dates import MONTH_PATTERN
from unspin.lang.en.lexicon import words

# words a sentence cannot stop on: a line ending on one is continued on the next (text wrapping)
RUN_ON_WORDS = words("""
a an the this these those its their his her our your my whose of to in on at by for with from into onto
upon about over under after before between among through during without within against per via and or
but nor than because although while whereas if unless whether is are was were be been has have had
will would shall should can could may might must not very
""")

# a breadcrumb trail line ('Home > News > UK')
BREADCRUMB = re.compile(r"^(?:current\s*:\s*|you are here\s*:\s*)?home\s*(?:[>\u203a\u00bb/|:]|$)", re.I)

# a labelled line of page furniture ('Published:', 'Tags:', 'Share this story')
LABEL = re.compile(
    r"^(?:[-*\u2022]\s*)?(?:date|published|updated|posted|last updated|posted on|filed under|filed in|tags?|"
    r"topics?|categories|category|keywords|in|more on|share|share this(?: story| article| page)?|follow us|"
    r"reading time|read time|listen to this article|advertisement|sponsored|photo|image|source|credit)"
    r"\s*[:\u00b7|]", re.I)

# a tag or category list, its items in group 1
TAG_LABEL = re.compile(r"^(?:[-*\u2022]\s*)?(?:in|tags?|topics?|filed under|filed in|categories|category|"
                        r"keywords|more on)\s*:\s*(.*)$", re.I)

# the words of share bars, counters and sign-up prompts
WIDGET = re.compile(
    r"\b(?:share[sd]?|likes?|comments?|reactions?|views?|facebook|twitter|whatsapp|linkedin|pinterest|reddit|"
    r"email|e-mail|print|tweet|flipboard|telegram|copy link|instagram|youtube|rss|subscribe|sign up|sign in|"
    r"log in|login|register|newsletter|follow)\b", re.I)

# a copyright notice
COPYRIGHT = re.compile(r"\u00a9|\(c\)\s*\d{4}|\ball rights reserved\b|\bcopyright\s+(?:\u00a9\s*)?\d{4}",
                        re.I)

# a reading time ('5 min')
READ_TIME = re.compile(r"\b\d+\s*(?:-\s*)?(?:min|mins|minutes?)\b", re.I)

# what a reading-time line says besides the time
READ_WORD = re.compile(r"\b(?:read|reading|listen|audio)\b", re.I)

# a line that is page furniture entire ('Advertisement', 'Read more', 'Back to top')
FURNITURE = re.compile(
    r"^(?:advertisement|advert|ad|sponsored(?: content)?|story continues below(?: advertisement)?|"
    r"continue reading(?: below| the main story)?|skip (?:this )?ad(?:vertisement)?|scroll to continue|"
    r"read more|click here|back to top|show more|load more|loading|close|menu|search|"
    r"(?:article )?continues (?:below|after (?:the )?(?:advertisement|ad)))\W*$", re.I)

# a cookie notice
COOKIES = re.compile(r"\bcookies?\b.{0,200}\b(?:website|site|browser|browsing|consent|accept|privacy|"
                      r"experience)\b|\b(?:website|site|browser|browsing|consent|accept|privacy|experience)\b"
                      r".{0,200}\bcookies?\b", re.I)

# the parts a date line is made of (dates, times, month and day names, zones)
DATE_TOKEN = re.compile(
    r"\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?\b|"
    r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|"
    rf"\b{MONTH_PATTERN}(?=\W|$)|\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b\.?|"
    r"\b\d{1,2}(?:st|nd|rd|th)?\b|\b(?:19|20)\d{2}\b|"
    r"\b(?:[ap]\.?m\.?|gmt|utc|bst|cet|cest|e[sd]t|p[sd]t|c[sd]t)\b", re.I)

# a full date ('2024-05-01', 'May 1', '1 May', a year)
FULL_DATE = re.compile(rf"\b\d{{4}}-\d{{1,2}}-\d{{1,2}}|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b|"
                        rf"\b{MONTH_PATTERN}\s+\d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH_PATTERN}(?=\W|$)|"
                        r"\b(?:19|20)\d{2}\b", re.I)

# the words a date line may carry besides the date
DATE_WORDS = re.compile(r"\b(?:date|published|updated|posted|last|on|at|modified|created|by|and|of)\b", re.I)

# a byline line, the names in group 1 (differs from BYLINE: what a page shows)
BYLINE_LINE = re.compile(r"^(?:by|written by|words by|story by|reporting by|posted by)\s*:?\s+(.{2,120})$",
                         re.I)

# what an author's bio says they do
BIO_ROLE = re.compile(r"\b(?:editor|reporter|correspondent|writer|journalist|columnist|contributor|producer|"
                       r"covers|column|desk|author|freelance|blogger|anchor|news|newsroom|reporting|writes)\b",
                       re.I)

# the heading of an author's bio
ABOUT = re.compile(r"^(?:about the author\b|about(?: (?:me|us))?\s*:?$)", re.I)

# a speech verb: a short unit quoting someone is no teaser
SAID = re.compile(r"\b(?:said|says|told|added)\b")

# a section marker after the article (comments, related stories, most read)
END_MARKER = re.compile(
    r"^[\[(]?\s*(?:\d[\d,.]*k?\s+)?(?:comments?|responses?|replies|discussion|conversation|"
    r"(?:leave|post|add|write|submit) (?:a |your )?(?:comment|reply|response)|"
    r"join the (?:discussion|conversation)|(?:\w+ )?thoughts? on\b|"
    r"related(?: (?:posts?|articles?|stories|content|news|coverage|reading|links|topics|videos?))?|"
    r"more (?:from|on|in|stories|news|articles|to read|like this|to explore)\b|read (?:more|next|also)|"
    r"recommended(?: for you| stories| articles| reading| videos?)?|recommendations?|"
    r"you (?:may|might|will) (?:also )?(?:like|enjoy|be interested)|"
    r"(?:most|more) (?:read|popular|viewed|shared|commented|watched)|trending(?: now| stories| news)?|"
    r"popular(?: posts| stories| now| articles)?|recent (?:posts|stories|articles|comments)|"
    r"latest (?:news|stories|posts|articles|headlines)|ranking|top stories|editor'?s picks|"
    r"what to read next|previous (?:post|article|story)|next (?:post|article|story)|about the author|"
    r"(?:view|read|show|see|load) (?:all )?(?:\d+ )?comments|top rated comments|"
    r"sign up\b|subscribe\b|newsletter)\b[^.!?]{0,40}$", re.I)

# 'More from BBC News': a section marker
MORE_FROM = re.compile(r"^(?:more|also)(?: (?:from|on|in|at))?(?: [A-Z][\w'\u2019&.-]*){1,3}\s*:?$")

# the head of a reader's comment ('Jo says:')
COMMENT_HEAD = re.compile(r"^\S.{0,60}\b(?:says|said|wrote|writes|commented)\s*:\s*$|"
                           r"^\S.{0,40}\bon\b.{0,40}\d{1,2}:\d{2}.{0,20}\b(?:says|said)\b", re.I)

# the furniture of a reader's comment (reply, permalink, '3 hours ago')
COMMENT_META = re.compile(r"^(?:reply|report|report abuse|flag|permalink|like|quote)$|"
                           r"\b\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?(?:\W|$)|"
                           r"\b(?:an?|\d+) (?:minutes?|hours?|days?|weeks?|months?|years?) ago\b", re.I)

# class or id fragments of a comment thread
COMMENTISH = re.compile(r"comment|repl|respon|discussion|conversation|thoughts", re.I)

# a newsroom's call for tips ('Got a story?', 'We pay for stories')
TIPLINE = re.compile(r"\b(?:news\s?desk|got a (?:story|tip)|stor(?:y|ies) (?:for us|tips?)|tip-?offs? to|"
                      r"we pay|pay for (?:your )?stor|contact us|email us|get in touch|send us)\b", re.I)

# what opens an author's bio ('About the author:', 'Posted by')
BIO_LEAD = r"(?:about the author\s*:?\s*|posted by\s+|written by\s+)"

# what follows the name opening an author's bio ('Jo Smith is a reporter', 'Jo Smith, who')
BIO_AFTER_NAME = (r"(?:,\s*who\b|\s+(?:is|was|has|had|covers|edits|writes|reports|"
               r"joined|runs|leads|previously|currently|works)\b)")
