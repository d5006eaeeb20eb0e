"""Stop lists: the words each comparison leaves out. They differ on purpose, each tuned with
the comparison it serves; every one is documented with what reads it."""

from __future__ import annotations

from unspin.lang.en.lexicon import words

# Function words: carry no content of their own, so a rewrite may add or drop them freely
# (the consistency-model findings' word difference, corpus screening).
STOP_WORDS: frozenset[str] = words("""
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over
own same she should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who
whom why will with would you your yours yourself yourselves also may might must shall upon
said says say told tell tells according mr mrs ms miss dr sir
""")
# what the content detectors (facts, shifts, claims, omissions) do not count as content
FUNCTION_WORDS = words("""
a an the and or but if of to in on at by for from with as into onto about than then that this
these those there here it its is are was were be been being am has have had do does did so such
he she they we you i me him her them us his hers their our your my who whom whose which what
when where why how also just would could should will shall can must may might up out over off
down said says say told mr mrs ms miss dr while after before during since until upon within
against among between through both either each other another any some all own same very too
again further once only still yet who've it's that's there's he's she's i'm we're they're i've
we've don't didn't isn't wasn't
""")
# what quotation matching does not count as content (fillers of speech among them)
QUOTE_STOP_WORDS = words("""
a an the and or but if of to in on at by for from with as into onto about than then that this
these those there here it its is are was were be been being am has have had do does did not no
so such he she they we you i me him her them us his hers their our your my who whom whose
which what when where why how all any some each both would could should will shall may might
must can just very also well mean look oh er um ah
""")
# Words that cannot end an English sentence or paragraph: a paragraph ending on one was cut off
# (garbled text; also the halves a closed compound may not be split into).
DANGLING_WORDS = words("""
a an the this that these those my your his her its our their whose which who whom what
and or but nor so yet if because although though while whereas unless until since than as
of to in on at by for with from into onto upon about above below over under after before
between among through during without within against towards toward across along around
behind beyond near per via like including despite except
is are was were be been being am has have had do does did will would shall should can could
may might must also not no very such both either neither each every some any all
""")
# what sentence alignment and passage seeding leave out of content stems and n-grams
# (unspin.align, unspin.passages; differs from STOP_WORDS: 'one', 'yesterday', 'today', 'us')
ALIGN_STOP_WORDS = words("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me more
most my myself no nor not of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves mr mrs ms said says say told according would could may might
shall must upon us one yesterday today
""")

# The lexical (no-model) embedding backend's function words, weighted down in its hashed counts.
LEXICAL_STOP_WORDS: frozenset[str] = words("""
a an the and or but if of to in on at by for from with as into onto about than then that this
these those there here it its is are was were be been being am has have had do does did
not no so such he she they we you i me him her them us his hers their our your my who whom
whose which what when where why how all any some each both would could should will shall may
might must can said says say told also just very
""")
