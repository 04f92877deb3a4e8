"""Free-text museum dates turned into a start year and an end year, keeping the original text.

Museums write dates as prose: "c. 1850", "18th-19th century", "Edo period (1603-1867), c. 1790-1830",
"Qing dynasty, Kangxi period", "1963, printed 1980", "um 1850", "n.d.". :func:`parse_date` reads
one such text and :func:`parse_dates` a whole column. The parser never guesses: a text it cannot
read with confidence comes back with ``start``/``end`` unset and method ``"unparsed"``, so a person
can look at it; a text that doubts itself is read as written and flagged ``uncertain``; a text
that collections read more than one way is read as the span over every reading and flagged
``readings`` ("several readings"). :attr:`ParsedDate.certainty` names the one that applies, and
the importer stores it with each object (``objects.date_certainty``).

Years are historical years, BCE negative ("206 BCE" -> -206); there is no year 0. Other eras are
converted: Before Present counts back from 1950 ("3000 BP" -> -1050), the Buddhist Era is CE + 543
("B.E. 2500" -> 1957), a Hijri year overlaps two CE years ("A.H. 1250" -> 1834-1835). Thousands
separators are read ("12,000 BCE"); a bare five-digit number is never a year.

Conventions (the ones collections use, so that our years match the museums' own):

- **Centuries are counted as collections count them**: the 19th century is 1800-1899, the 1st
  century 1-99, the 3rd century BCE 299-200 BCE (the "200s BCE"); millennia alike (the 2nd
  millennium is 1000-1999). Not the astronomers' 1801-1900.
- **Circa is a span**: "c. 1850" is 1845-1855, :data:`CIRCA_YEARS` (5) years on each side of
  whatever it qualifies ("c. 1790-1830" -> 1785-1835, "c. 1930s" -> 1925-1944), as in Cataloging
  Cultural Objects 4.2.3 ("ca. 1610": earliest 1605, latest 1615). The result is flagged
  ``approximate``. ``circa_years=0`` keeps the stated years (for events rather than objects).
- **Qualifiers narrow** a century, a decade or a named period evenly: early/mid/late are thirds
  ("early 18th century" -> 1700-1732, "late Qing" -> 1823-1912), first/second (or last) half are
  halves, first..fourth (or last) quarter are quarters; "early-mid" covers both parts.
- **Stages of making one object** ("1963, printed 1980", "1953 (designed) c. 1977 (manufactured)",
  "1930, cast 1955") give the span from the first stage to the last, the whole creation of the
  object (CCO: earliest and latest dates span design through execution). Collections differ on
  this (one museum dates "1931, printed 1979" 1931, "1971, printed 1980" 1980 and "1934, printed
  1986" 1934-1986), so stages dated apart are flagged ``readings`` (several readings): the
  span holds every reading. A later stage without a year ("1916, printed posthumously") leaves
  the end open. Later *changes* ("restored 1920",
  "1900 (altered)") are not creation stages: a text that dates one is left unparsed, never spanned.
- A style is not a date of making: "18th century style, made 20th century" is the 20th century.
- **Open texts stay open**: "after 1850", "no earlier than 1888", "1850 or later" give a start and
  no end, "before 1900", "by 1900" an end and no start (method ``"open"``); the year named is kept
  ("after 1850" may be 1850 itself). Two bounds close a span ("after 1945, before 1957"); a bound
  inside a span narrows it ("18th century, after 1750"). A year of collection, acquisition or gift
  is such a bound: the object was made by then ("19th century, collected 1890" -> 1800-1890).
- **Doubt is flagged, never resolved**: "?", "possibly", "probably", "likely", "vermutlich", and
  two readings joined by "or" ("18th or 19th century", "Ming or Qing": the span over both) set
  ``uncertain``; the years are what the text says.
- **Several readings are flagged apart from doubt**: a range of whole centuries ("18th-19th
  century": 1700-1899 as written, which collections narrow to the turn of the century in their
  own ways, e.g. 1750-1850) and stages of making dated apart (above) are certain texts that
  collections turn into years in different ways; they set ``readings``, not ``uncertain``.
- "1900s" can mean a decade or a century, so it gives the century, which contains both readings.

How a text is read:

1. Empty input (``""``, ``None``, ``NaN``) -> ``"empty"``; "undated", "n.d.", "o.J." ... -> ``"undated"``.
   A text in EDTF (ISO 8601-2: "185X", "1850~", "../1850") is read by the ``undate`` library.
2. Explicit expressions are collected: calendar dates ("June 19-20, 1964"), centuries and millennia,
   decades ("1870-1880s"), year ranges, single years. Each consumes its text, so "1790" inside
   "1790-1830" is not read again. An expression that looks like a date but cannot be read (an end
   before its start, an impossible calendar date, "1850-5") makes the whole text unparsed. A range
   of bare numbers that runs forwards ("960-1279", "618-907") is CE, unless the text names a
   period: then the name decides ("Han dynasty (206-220)" is 206 BCE-220 CE).
3. If there are none, names from the gazetteer (``data/periods.csv``) are looked up, whole-word,
   case- and accent-insensitively. A name shared by several entries ("Jin", "Three Kingdoms")
   makes the text unparsed. A reign name used as a *mark* ("Xuande mark") says how a piece is
   marked, not when it was made, and is ignored unless it is "mark and period".
4. A period's own dates in parentheses ("Edo period (1603-1867), 19th century") count only when the
   text gives nothing else. Among the remaining candidates the narrowest wins, provided it lies
   inside every other candidate ("Qing dynasty, Kangxi period" -> Kangxi); stages of making give
   the span over all; candidates that disagree ("1850, 1920") leave the text unparsed. Two
   expressions joined by "-", "to" or "or" give the span over both.
"""
from __future__ import annotations

import datetime as _dt
import math
import numbers
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from . import paths

METHODS = ("empty", "undated", "year", "range", "decade", "century", "millennium", "date",
           "period", "reign", "open", "unparsed")
PERIOD_COLUMNS = ("name", "aliases", "kind", "region", "start", "end", "source")
PERIOD_KINDS = ("period", "dynasty", "reign", "era")
#: How sure the years read from a text are (``ParsedDate.certainty``, ``objects.date_certainty``):
#: "as stated" (the years the text states, a century for "19th century"), "approximate" (circa:
#: the years include the margin), "several readings" (a certain text that collections turn into
#: years in different ways: "18th-19th century", "1931, printed 1979"; the span holds every
#: reading), "uncertain" (the text itself doubts the date: "?", "probably", "Ming or Qing").
#: A text that gives no year has none.
CERTAINTIES = ("as stated", "approximate", "several readings", "uncertain")

#: A bare four-digit number outside these bounds is not read as a year.
MIN_BARE_YEAR = 1000
MAX_BARE_YEAR = 2100
#: "c. 1850" is read as 1845-1855: circa widens whatever it qualifies by this many years on each
#: side (Cataloging Cultural Objects 4.2.3: "ca. 1610" -> earliest 1605, latest 1615).
CIRCA_YEARS = 5


@dataclass(frozen=True)
class ParsedDate:
    """One date text and what was read from it. ``start``/``end`` are inclusive years, BCE negative."""

    original: str
    start: int | None
    end: int | None
    method: str
    #: The text says the date is approximate ("c.", "about", "um", EDTF "~"); start/end include
    #: the circa margin (:data:`CIRCA_YEARS`).
    approximate: bool = False
    #: The text itself doubts the date ("?", "possibly", "probably", "vermutlich", two readings
    #: joined by "or"): the years are what it says, but they are not established fact.
    uncertain: bool = False
    #: Collections read the text's years more than one way ("18th-19th century", "1931, printed
    #: 1979"): the text is certain, the years are the span over every reading.
    readings: bool = False

    @property
    def certainty(self) -> str | None:
        """One of :data:`CERTAINTIES` (the strongest that applies: uncertain, then several
        readings, then approximate), or None when no year was read."""
        if not self.read:
            return None
        if self.uncertain:
            return "uncertain"
        if self.readings:
            return "several readings"
        return "approximate" if self.approximate else "as stated"

    @property
    def parsed(self) -> bool:
        """True when both a start and an end year were read."""
        return self.start is not None and self.end is not None

    @property
    def read(self) -> bool:
        """True when the text was understood: both years, or one with the other left open
        ("after 1850", method ``"open"``)."""
        return self.method not in ("empty", "undated", "unparsed")


# --------------------------------------------------------------------------------------------
# Text normalisation
# --------------------------------------------------------------------------------------------

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u02bc\u0060\u00b4\u2032"), "'")


def _fold(text: str) -> str:
    """Lower case, accents removed, dashes and apostrophes unified, whitespace collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(_DASHES).translate(_QUOTES).lower()
    return re.sub(r"\s+", " ", text).strip()


# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

_UNDATED = re.compile(r"""
    (?:not|no|non|sans|sin|ohne|senza|without)\s+(?:dated?|datiert|datum|fecha|jahr|data)
  | undated | undatiert | non\s+date | sans\s+date
  | n\.?\s?d\.? | s\.?\s?d\.? | o\.?\s?j\.? | s\.?\s?f\.? | n/a
  | (?:date\s+)?unknown(?:\s+date)? | unbekannt | (?:date\s+)?inconnue? | desconocid[oa] | sconosciut[oa]
  | \?+
""", re.X)

# Era marks. German "v. Chr."/"n. Chr.", French "av. J.-C."/"apr. J.-C.", Spanish/Italian "a.C."/"d.C.".
_BCE = (r"(?:b\.?\s?c\.?\s?e\.?|b\.?\s?c\.?|v\.?\s?chr\.?|vor\s+chr(?:\.|istus)?"
        r"|av(?:\.|ant)?\s?j\.?\s?-?\s?c\.?|a\.\s?c\.)")
_CE = (r"(?:c\.?\s?e\.?|a\.?\s?d\.?|n\.?\s?chr\.?|nach\s+chr(?:\.|istus)?"
       r"|apr?(?:\.|es)?\s?j\.?\s?-?\s?c\.?|d\.\s?c\.)")


# Before Present (radiocarbon: years before 1950) and the Buddhist Era (CE + 543, Thailand).
_BP = r"(?:cal\.?\s?)?b\.?\s?p\.?"
_BE = r"(?:b\.\s?e\.|buddhist\s+era)"


def _era(g: str) -> str:
    return (rf"(?:(?P<{g}bce>{_BCE})|(?P<{g}ce>{_CE})|(?P<{g}bp>{_BP})|(?P<{g}be>{_BE}))(?![a-z])")


_CIRCA = (r"(?<![a-z])(?:circa|approx(?:imately|\.)?|about|around|ca?\.?|um|vers|env(?:iron|\.)?"
          r"|etwa|ungefahr|hacia|intorno\s+al?|cerca\s+de)")
# Words that open a range ("from 1850 to 1900"); kept inside the match so they are not read as
# open-ended cues.
_LEAD = r"(?:(?<![a-z])(?P<lead>between|from|von|zwischen|entre|de|du|dal|tra|fra)\s+)?"
# "or" joins two readings; the span over both contains the true date, so it is not a guess.
_SEP = r"\s*(?P<sep>-|/|to|until|till|through|bis|au|a|or|oder|ou|and|und|et|y|e)\s*"
_CONJUNCTIONS = {"and", "und", "et", "y", "e"}
_BETWEEN = {"between", "zwischen", "entre", "tra", "fra"}

_OF_THE = r"(?:\s+(?:of(?:\s+the)?|des|du|van\s+de|del|do))?"
_HALF = rf"(?:half|halfte|moitie|helft|meta|mitad|metade){_OF_THE}"
_QUARTER = rf"\s+(?:quarter|viertel|quart|kwart|quarto|cuarto){_OF_THE}"
_QUALIFIERS = (
    ("early", (r"early|beginning(?:\s+of)?(?:\s+the)?|start(?:\s+of)?(?:\s+the)?|anfang(?:\s+des)?"
               r"|fruh(?:es|en|e)?"
               r"|debut(?:\s+du)?|inizio\s+del|principios\s+del?|inicios\s+del|inicio\s+do"
               r"|(?:first|1st)\s+third(?:\s+of(?:\s+the)?)?|begin(?:\s+van\s+de)?")),
    ("mid", (r"mid|middle(?:\s+of)?(?:\s+the)?|mitte(?:\s+des)?|milieu(?:\s+du)?|meta\s+del"
             r"|mediados\s+del|meados\s+do"
             r"|(?:second|2nd|middle)\s+third(?:\s+of(?:\s+the)?)?|midden(?:\s+van\s+de)?")),
    ("late", (r"late|end(?:\s+of)?(?:\s+the)?|ende(?:\s+des)?|spat(?:es|en|e)?|fin(?:\s+du)?|fine\s+del"
              r"|finales\s+del|finais\s+do|fim\s+do|(?:third|3rd|last)\s+third(?:\s+of(?:\s+the)?)?"
              r"|einde?(?:\s+van\s+de)?")),
    ("half1", (r"(?:first|1st|1\.|erste|premiere|1re|1ere|eerste|prima|primera|primeira)\s+"
               rf"{_HALF}")),
    ("half2", (r"(?:second|2nd|2\.|last|latter|later|zweite|seconde|deuxieme|2e|2eme|tweede|laatste"
               rf"|seconda|segunda)\s+{_HALF}")),
    ("quarter1", rf"(?:first|1st|1\.|erste[sn]?|premier|1er|eerste|primo|primer|primeiro){_QUARTER}"),
    ("quarter2", rf"(?:second|2nd|2\.|zweite[sn]?|deuxieme|2e|tweede|secondo|segundo){_QUARTER}"),
    ("quarter3", rf"(?:third|3rd|3\.|dritte[sn]?|troisieme|3e|derde|terzo|tercer|terceiro){_QUARTER}"),
    ("quarter4", (rf"(?:fourth|4th|4\.|last|vierte[sn]?|letzte[sn]?|quatrieme|dernier|4e|vierde|laatste"
                  rf"|quarto|ultimo|cuarto){_QUARTER}")),
)
_QUALIFIER_RES = tuple((kind, re.compile(p)) for kind, p in _QUALIFIERS)
_ONE_QUAL = r"(?<![a-z\d])(?:" + "|".join(f"(?:{p})" for _, p in _QUALIFIERS) + r")"
_QUAL_JOIN = r"\s*-?\s*(?:-|/|(?<![a-z])(?:to|or|bis|a)(?![a-z]))\s*-?\s*"  # "mid- to late", "mid-to-late"
# One qualifier, or two joined ("early-mid", "mid to late"): the span then covers both parts.
_QUAL = rf"{_ONE_QUAL}(?:{_QUAL_JOIN}{_ONE_QUAL})?"

_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "twenty first": 21,
}
_ORD = (r"(?:(?<![\d.])\d{1,2}\s?(?:st|nd|rd|th|eme|ieme|er|re|e|de|ste|\.)"
        r"|(?<![a-z])(?:" + "|".join(sorted(map(re.escape, _ORDINAL_WORDS), key=len, reverse=True)) + r")"
        r"|(?<![a-z])[ivx]+(?:eme|er|e)?)(?:(?![a-z])|(?=c(?![a-z])))")  # "18thC"
_CENTURY_UNIT = (r"(?:centur(?:y|ies)|cent\.?|c\.?(?![a-z])(?!\s*\d)|jh(?:dt)?\.?|jahrhunderts?|siecles?"
                 r"|s\.(?!\s*\d)|secol[oi]|siglos?|seculos?|eeuw)")
_MILLENNIUM_UNIT = r"(?:millenn?i(?:um|a)|millenaires?|jahrtausends?|millenni[oa]|milenios?)"
_UNIT = rf"(?:(?P<{{g}}cent>{_CENTURY_UNIT})|(?P<{{g}}mill>{_MILLENNIUM_UNIT}))"

_MONTHS = {
    "january": 1, "jan": 1, "janvier": 1, "januar": 1, "janner": 1, "gennaio": 1, "enero": 1,
    "february": 2, "feb": 2, "fevrier": 2, "fevr": 2, "februar": 2, "febbraio": 2, "febrero": 2,
    "march": 3, "mar": 3, "mars": 3, "marz": 3, "marzo": 3,
    "april": 4, "apr": 4, "avril": 4, "aprile": 4, "abril": 4,
    "may": 5, "mai": 5, "maggio": 5, "mayo": 5,
    "june": 6, "jun": 6, "juin": 6, "juni": 6, "giugno": 6, "junio": 6,
    "july": 7, "jul": 7, "juillet": 7, "juli": 7, "luglio": 7, "julio": 7,
    "august": 8, "aug": 8, "aout": 8, "agosto": 8,
    "september": 9, "sep": 9, "sept": 9, "septembre": 9, "settembre": 9, "septiembre": 9,
    "october": 10, "oct": 10, "octobre": 10, "oktober": 10, "okt": 10, "ottobre": 10, "octubre": 10,
    "november": 11, "nov": 11, "novembre": 11, "noviembre": 11,
    "december": 12, "dec": 12, "decembre": 12, "dezember": 12, "dez": 12, "dicembre": 12,
    "diciembre": 12,
}
_MONTH = r"(?<![a-z])(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?(?![a-z])"


# --------------------------------------------------------------------------------------------
# Patterns, in the order they are tried. Each consumes what it matched so that later, looser
# patterns never re-read the parts of a longer expression ("1790" inside "1790-1830").
# --------------------------------------------------------------------------------------------

def _year(g: str) -> str:
    # five digits only with an era ("10500 BCE"); a bare five-digit number is not a year
    return (rf"(?:(?<![a-z])(?:(?P<{g}pre>a\.?\s?d\.?)|(?P<{g}prebe>{_BE}))\s*)?"
            rf"(?<!\d)(?P<{g}num>\d{{1,5}})(?!\d)(?:\s*{_era(g)})?")


_ISO_DATE = re.compile(r"(?<!\d)(?P<y>\d{4})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?!\d)")
_NUMERIC_DATE = re.compile(r"(?<![\d.])(?P<a>\d{1,2})(?P<s>[-/.])(?P<b>\d{1,2})(?P=s)(?P<y>\d{4})(?!\d)")
_MONTH_YEAR_NUMERIC = re.compile(r"(?<![\d/.-])(?P<m>\d{1,2})[/.](?P<y>\d{4})(?!\d)")
_DAY = r"(?:st|nd|rd|th|er|\.)?"
# "12 March 1975", "March 12, 1975", "June 19-20, 1964", "19-20 June 1964", "February - March 1962".
_TEXT_DATE = re.compile(
    rf"(?:(?<!\d)(?P<d1>\d{{1,2}}){_DAY}(?:\s*-\s*(?P<d1b>\d{{1,2}}){_DAY})?\s+)?"
    rf"(?:{_MONTH.replace('month', 'month0')}\s*-\s*)?{_MONTH},?\s+"
    rf"(?:(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*-\s*(?P<d2b>\d{{1,2}})(?:st|nd|rd|th)?)?,?\s+)?"
    rf"(?P<y>\d{{4}})(?!\d)")

_CENTURY_RANGE = re.compile(
    rf"(?:(?P<q1>{_QUAL})\s*-?\s*)?(?:the\s+)?"
    # "18-19th century": the first ordinal's suffix is often left out
    rf"(?P<o1>{_ORD}|(?<![\d.])\d{{1,2}}(?=\s*[-/]\s*\d{{1,2}}\s?(?:st|nd|rd|th)))"
    rf"(?:\s*-?\s*{_UNIT.format(g='u1')})?"
    rf"(?:\s*{_era('e1')})?\s*(?:-|/|to|until|bis|au|a|or|oder|ou|and|und|et)\s*"
    rf"(?:(?P<q2>{_QUAL})\s*-?\s*)?(?:the\s+)?(?P<o2>{_ORD})\s*-?\s*{_UNIT.format(g='u2')}"
    rf"(?:\s*{_era('e2')})?")
_CENTURY = re.compile(
    rf"(?:(?P<q1>{_QUAL})\s*-?\s*)?(?:the\s+)?(?:(?P<o1>{_ORD})\s*-?\s*{_UNIT.format(g='u1')}"
    rf"|(?<![a-z])(?:siglo|secolo|seculo)\s+(?P<o1b>[ivx]+|\d{{1,2}})(?![a-z\d])"
    # British "C19th", "mid C18": a capital C written straight before the number
    rf"|(?<![a-z])c(?P<o1c>\d{{1,2}}(?<!14)(?:st|nd|rd|th)?|14th)(?![a-z\d])"
    rf"|(?<![\d.])(?P<o1d>\d{{1,2}}(?:st|nd|rd|th))c\.?(?![a-z])"
    # French "XIXe", "fin XVIIIe" without "siecle": a Roman numeral with x and an ordinal ending
    rf"|(?<![a-z])(?P<o1e>[iv]*x[ivx]*)(?:e|eme|ieme)(?![a-z]))(?:\s*{_era('e1')})?"
    # the British Museum's "19thC(late)": the qualifier after, in parentheses
    rf"(?:\s*\(\s*(?P<q1p>{_QUAL})\s*\))?")


def _decade(g: str) -> str:
    return (rf"(?:(?P<{g}q>{_QUAL})\s*-?\s*)?(?:the\s+)?"
            rf"(?:(?:annees|anni|decada\s+de)\s+(?P<{g}lead>\d{{3}}0)(?!\d)"
            rf"|(?<!\d)(?P<{g}num>\d{{3}}0)\s?(?:'?s|er(?:\s+jahre)?)(?![a-z]))")


_DECADE_RANGE = re.compile(
    rf"{_LEAD}{_decade('a')}\s*(?:-|/|to|until|bis|a|au|or|oder|ou|and|und|et)\s*"
    rf"(?:{_decade('b')}|(?:(?P<bq2>{_QUAL})\s*-?\s*)?'?(?<!\d)(?P<bshort>\d0)'?s(?![a-z]))")
_DECADE = re.compile(_decade("a"))
# "1870-1880s": a year to a decade
_YEAR_DECADE = re.compile(
    r"(?<!\d)(?P<a>\d{4})\s*[-/]\s*(?P<b>\d{3}0|\d0)\s?(?:'?s|er(?:\s+jahre)?)(?![a-z])")

_YEAR_RANGE = re.compile(
    rf"{_LEAD}(?:(?P<circa>{_CIRCA})\s*)?{_year('a')}{_SEP}(?:(?P<circa2>{_CIRCA})\s*)?{_year('b')}")
_YEAR = re.compile(rf"(?:(?P<circa>{_CIRCA})\s*)?{_year('a')}")

# Context that makes an expression one bound of an open span. Which bound, and whether the year
# named is inside ("from 1850", "until 1850") or just outside ("after 1850", "before 1900"), is
# told by the group that matched: "after the 18th century" starts no earlier than 1799, "before
# 1900" ends no later than 1900 (the year itself is kept: "before" rarely means strictly before).
_OPEN_BEFORE = re.compile(
    r"(?P<onward>-\s*(?:after|post|later\s+than)\s*(?:the\s+)?$)"
    r"|(?:(?<![a-z])(?:"
    r"(?P<after>after|post|later\s+than|nach|apres|despues\s+de|dopo\s+il?|terminus\s+post\s+quem|(?P<na>na))"
    r"|(?P<since>not?\s+(?:before|earlier\s+than)|since|from|seit|ab|depuis|desde|vanaf|niet\s+voor)"
    r"|(?P<before>before|pre|ante|earlier\s+than|vor|avant|antes\s+de|prima\s+del?|voor"
    r"|terminus\s+ante\s+quem)"
    r"|(?P<until>not?\s+(?:after|later\s+than)|until|till|by|bis|jusqu'?\s?(?:en|a)|hasta|tot|niet\s+na"
    # an object collected, acquired or given in a year was made by then ("field collected 1890")
    r"|(?:(?:field\s+)?collected|acquired|purchased|bought|excavated|found|donated|given|gift(?:ed)?"
    r"|accessioned|received|exhibited|gesammelt|erworben|collecte|acquis|verzameld|verworven)"
    r"(?:\s+(?:in|on|by|before|im|en))?)"
    r")\s*-?\s*(?:the\s+)?$)"
    r"|(?P<dash>(?:^|\?)\s*-\s*$)")
_OPEN_AFTER = re.compile(
    r"^\s*(?:(?P<later>\+|-\s*(?:$|\?|present|today|now|heute)|(?:or|and|oder|und|ou|et)\s+"
    r"(?:later|after|spater|apres|plus\s+tard)(?![a-z])|onwards?(?![a-z])|ff\.?(?![a-z]))"
    r"|(?P<earlier>(?:or|and|oder|und|ou|et)\s+(?:earlier|before|fruher|avant)(?![a-z])))")
# Words that cast doubt on the date the text gives; the date is kept but flagged. Two readings
# joined by "or" ("18th or 19th century") give the span over both, flagged: the cataloguer could
# not decide between them.
_DOUBT = re.compile(
    r"\?|(?<![a-z])(?:(?:or|oder|ou|o)(?!\s+(?:later|after|earlier|before|spater|fruher|avant|apres))"
    r"|either|possibly|probably|perhaps|presumably|maybe|likely|uncertain|questionable"
    r"|attributed\s+date|vermutlich|wohl|moglicherweise|wahrscheinlich|probablement|peut-etre"
    r"|vraisemblablement|probabilmente|forse|posiblemente|probablemente|quizas?)(?![a-z])")
# Stages of making one object ("1963, printed 1980", "1953 (designed) c. 1977 (manufactured)"):
# its date runs from the first stage to the last, as Cataloging Cultural Objects records it.
_STAGE = re.compile(
    r"(?<![a-z])(?:(?:re)?print(?:ed|s)?|cast(?:ing)?|manufactured?|produced|production|published"
    r"|publication|fabricated|executed|(?:re)?issued|edition|designed|design|model(?:l?ed)?|built"
    r"|woven|carved|block|negative|impression|struck|minted|assembled|completed|made|enlarged"
    r"|gedruckt|guss|gegossen|tirage|tire|fondu|fonte|edite|stampato|fuso)(?![a-z])")
# A stage with no year after the first ("printed posthumously"): the span's end stays open.
_LATER_STAGE = re.compile(
    r"(?<![a-z])(?:(?:printed|cast|published|issued|produced|manufactured|made|edition|struck)"
    r"\s+(?:posthumously|later|subsequently|after\s+(?:the\s+)?(?:artist'?s\s+)?death)"
    r"|(?:posthumous(?:ly)?|later)\s+(?:print(?:ing)?|cast(?:ing)?|edition|impression|issue|strike)"
    r")(?![a-z])")
# "26th Dynasty" (Egypt), "5th Kingdom": an ordinal that is not a century.
_ORDINAL_NAME = re.compile(r"(?<![\d.])\d{1,2}\s?(?:st|nd|rd|th)\s+(?:dynasty|kingdom|intermediate\s+period)")
# A parenthesis right after a period's name gives the period's own dates ("Edo period (1603-1867),
# 19th century"): it is read only when the text gives nothing else.
_GLOSS_BEFORE = re.compile(
    r"(?<![a-z])(?:period|dynasty|era|reign|kingdom|empire|shogunate|sultanate|culture|phase)\s*$")
# "1890 (circa)", "1820-1830 approx.": circa written after the date (never a bare "c.", which after
# an ordinal is the century's abbreviation).
_CIRCA_AFTER = re.compile(r"^\s*[(\[]?\s*(?:circa|ca\.|approx(?:imately|\.)|about|ungefahr|environ)"
                          r"(?![a-z])(?!\s*\.?\s*\d)")
# Hijri years ("A.H. 1250", "1250 AH"): converted, so "A.H. 1250/A.D. 1834" is one date, not a range.
_HIJRI = re.compile(r"(?:(?<![a-z])(?:a\.?\s?h\.?|hijri)\s*(?P<a>\d{1,4})(?!\d)"
                    r"|(?<!\d)(?P<b>\d{1,4})\s*(?:a\.\s?h\.?|ah)(?![a-z]))")
_CIRCA_BEFORE = re.compile(r"(?<![a-z])(?:circa|approx(?:imately|\.)?|about|around|ca?\.?|um|vers"
                           r"|env(?:iron|\.)?|etwa|ungefahr|hacia|intorno\s+al?|cerca\s+de)\s*,?\s*$")
# "No. 1234", "Inv. 1850": catalogue numbers, not years.
_NOT_A_YEAR_BEFORE = re.compile(r"(?:(?<![a-z])(?:no|nr|num|inv|cat|acc)\.?\s*|#\s*)$")
# A part of a century that no qualifier read ("2. Drittel 19. Jh.", "turn of the 19th century",
# which may mean 1800 or 1900): the century is not read whole.
_UNREAD_PART = re.compile(
    r"(?<![a-z])(?:quarter|viertel|quart|kwart|third|drittel|tiers|half|halfte|moitie|helft|meta|mitad"
    r"|metade|turn)(?:\s+(?:of(?:\s+the)?|des|du|van\s+de|del|do))?\s*$")
# A later change to the object ("1850 (made), 1900 (altered)", "restored 1920"): not a stage of
# making. A text that dates one is left unparsed rather than spanned over the change.
_CHANGE_BEFORE = re.compile(
    r"(?<![a-z])(?:restored|restoration|repaired|repair|retouched|altered|alteration|remounted"
    r"|reworked|relined|rebound|renovated|modified|converted|restauriert|restaure)"
    r"(?:\s+(?:in|on|by|about|around))?\s*(?:c\.?|ca\.?|circa)?\s*$")
_CHANGE_AFTER = re.compile(
    r"^\s*\(\s*(?:restored|restoration|repaired|retouched|altered|alteration|remounted|reworked"
    r"|relined|rebound|renovated|modified|converted)\s*\)")
# "18th-century style", "Ming-style": the date of a style the object imitates, not of its making.
_STYLE_AFTER = re.compile(r"^\s*-?\s*(?:style|stil|styl|revival|manner)(?![a-z])")
_STYLE_BEFORE = re.compile(r"(?<![a-z])(?:style|manner|taste)\s+of(?:\s+the)?\s*$")
# A reign name used as a mark says how the piece is marked, not when it was made.
_MARK_AFTER = re.compile(
    r"^\s*(?:(?:six|four|6|4)[\s-]*(?:character|char\.?)\s*)?(?:seal\s*)?marks?(?![a-z])"
    r"(?!\s*(?:and|&)\s*(?:of\s+the\s+)?period)")
_MARK_BEFORE = re.compile(r"(?:(?<![a-z])(?:apocryphal|spurious|mark\s+of(?:\s+the)?)\s+)$")


# --------------------------------------------------------------------------------------------
# Reading the parts
# --------------------------------------------------------------------------------------------

class _Span(NamedTuple):
    start: int
    end: int
    method: str
    #: "closed", or one bound of an open span: "lower" (start known) / "upper" (end known)
    kind: str = "closed"
    #: read from a period's own dates in parentheses ("Edo period (1603-1867)")
    gloss: bool = False
    approximate: bool = False
    #: collections read these years more than one way (a range of whole centuries)
    readings: bool = False


class _Context:
    """What a reader needs to know about the whole text: ``dayfirst``, ``circa`` (years added on
    each side of an approximate date) and ``named`` (the text names a period, so bare short
    numbers are the period's, BCE or CE, and left to it; looked up only when needed)."""

    def __init__(self, text: str, dayfirst: bool, circa: int):
        self.text, self.dayfirst, self.circa = text, dayfirst, circa

    @cached_property
    def named(self) -> bool:
        return bool(re.search(r"[a-z]{2}", self.text)
                    and (_PERIOD_WORD.search(self.text) or _gazetteer()[0].search(self.text)))


class _Unreadable(Exception):
    """Raised when a text contains something date-like that cannot be read without guessing."""


#: Returned for numbers that may be years but say nothing on their own ("618-907" could be BCE or
#: CE). They make a text unparsed unless it also names a period, which then decides.
_WEAK = _Span(0, 0, "weak")


def _qualify(start: int, end: int, qualifier: str | None) -> tuple[int, int]:
    if not qualifier:
        return start, end
    parts = [m.group() for m in re.finditer(_ONE_QUAL, qualifier)]
    if len(parts) > 1:
        bounds = [_qualify(start, end, part) for part in parts]
        return min(b[0] for b in bounds), max(b[1] for b in bounds)
    kind = next(k for k, rx in _QUALIFIER_RES if rx.fullmatch(qualifier))
    length = end - start + 1
    if kind in ("early", "mid", "late"):
        i = ("early", "mid", "late").index(kind)
        lo, hi = start + i * length // 3, start + (i + 1) * length // 3 - 1
        return lo, (end if i == 2 else hi)
    if kind.startswith("half"):
        i = int(kind[-1]) - 1
        return start + i * length // 2, (end if i == 1 else start + length // 2 - 1)
    i = int(kind[-1]) - 1
    return start + i * length // 4, (end if i == 3 else start + (i + 1) * length // 4 - 1)


def _era_of(m: re.Match, g: str) -> str | None:
    d = m.groupdict()
    if d.get(f"{g}bce"):
        return "bce"
    if d.get(f"{g}bp"):
        return "bp"
    if d.get(f"{g}be") or d.get(f"{g}prebe"):
        return "be"
    if d.get(f"{g}ce") or d.get(f"{g}pre"):
        return "ce"
    return None


def _signed(year: int, era: str | None) -> int:
    if era == "bce":
        return -year
    if era == "bp":
        return 1950 - year
    if era == "be":
        return year - 543
    return year


def _ordinal(text: str) -> int:
    text = text.strip().rstrip(".")
    if text in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[text]
    digits = re.match(r"\d+", text)
    if digits:
        n = int(digits.group())
    else:
        roman = re.match(r"[ivx]+", text).group()
        n = _roman(roman)
    if n < 1:
        raise _Unreadable(text)
    return n


def _roman(text: str) -> int:
    values = {"i": 1, "v": 5, "x": 10}
    total = 0
    for a, b in zip(text, text[1:] + " "):
        v = values[a]
        total += -v if b != " " and values[b] > v else v
    if _to_roman(total) != text:  # "iiii", "vx": not a numeral
        raise _Unreadable(text)
    return total


def _to_roman(n: int) -> str:
    out = ""
    for value, numeral in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def _century_span(n: int, era: str | None, unit: str) -> tuple[int, int]:
    """Centuries as collections count them: the 19th century is 1800-1899, the 3rd century BCE
    299-200 BCE (the "200s BCE"). There is no year 0, so the 1st century is 1-99 and the 1st
    century BCE 99-1 BCE. Millennia alike: the 2nd millennium is 1000-1999."""
    size = 100 if unit == "century" else 1000
    if era == "bce":
        return -(n * size - 1), -max((n - 1) * size, 1)
    return max((n - 1) * size, 1), n * size - 1


def _checked(start: int, end: int, method: str) -> _Span:
    if end < start:
        raise _Unreadable(f"{start}>{end}")
    return _Span(start, end, method)


def _valid_date(y: int, m: int, d: int | None = None) -> bool:
    try:
        _dt.date(y, m, d or 1)
    except ValueError:
        return False
    return True


def _read_dates(m: re.Match, pattern: re.Pattern, ctx: _Context) -> _Span | None:
    g = m.groupdict()
    y = int(g["y"])
    if pattern is _ISO_DATE:
        ok = _valid_date(y, int(g["m"]), int(g["d"]))
    elif pattern is _NUMERIC_DATE:
        a, b = int(g["a"]), int(g["b"])
        ok = _valid_date(y, b, a) if ctx.dayfirst else _valid_date(y, a, b)
    elif pattern is _MONTH_YEAR_NUMERIC:
        ok = _valid_date(y, int(g["m"]))
    else:
        month = _MONTHS[g["month"]]
        first, last = (g["d1"], g["d1b"]) if g["d1"] else (g["d2"], g["d2b"])
        ok = _valid_date(y, month, int(first) if first else None)
        if last:  # "June 19-20, 1964": both days must exist and run forwards
            ok = ok and _valid_date(y, month, int(last)) and int(last) > int(first)
        if g["month0"]:  # "February - March 1962"
            ok = ok and _MONTHS[g["month0"]] < month
    if not ok:
        raise _Unreadable(m.group())
    return _Span(y, y, "date")


def _read_century(m: re.Match, pattern: re.Pattern, ctx: _Context) -> _Span | None:
    g = m.groupdict()
    if pattern is _CENTURY:
        unit = "millennium" if g.get("u1mill") else "century"
        n = _ordinal(g["o1"] or g["o1b"] or g["o1c"] or g["o1d"] or g["o1e"])
        s, e = _qualify(*_century_span(n, _era_of(m, "e1"), unit), g["q1"] or g["q1p"])
        return _checked(s, e, unit)
    unit = "millennium" if g["u2mill"] else "century"
    if (g["u1cent"] and unit != "century") or (g["u1mill"] and unit != "millennium"):
        raise _Unreadable(m.group())
    era1, era2 = _era_of(m, "e1"), _era_of(m, "e2")
    era1 = era1 or era2
    era2 = era2 or era1
    s, e1 = _qualify(*_century_span(_ordinal(g["o1"]), era1, unit), g["q1"])
    s2, e = _qualify(*_century_span(_ordinal(g["o2"]), era2, unit), g["q2"])
    # "18th-19th century" is 1700-1899 as written, but collections narrow such a range to the
    # turn of the century in their own ways (in the CMOA file '11th-12th century' is 999-1198,
    # '18th-19th century' 1750-1850): two readings, so it is flagged
    return _checked(s, e, unit)._replace(readings=s2 > e1)


def _decade_span(num: str, qualifier: str | None) -> tuple[int, int, str]:
    year = int(num)
    # "1900s" reads as the decade 1900-1909 or as the century 1900-1999; the wider reading
    # contains both, so it is not a guess.
    if year % 100 == 0:
        return (*_qualify(year, year + 99, qualifier), "century")
    return (*_qualify(year, year + 9, qualifier), "decade")


def _read_decade(m: re.Match, pattern: re.Pattern, ctx: _Context) -> _Span | None:
    g = m.groupdict()
    if pattern is _YEAR_DECADE:
        b = g["b"] if len(g["b"]) == 4 else str(int(g["a"]) // 100 * 100 + int(g["b"]))
        return _checked(int(g["a"]), _decade_span(b, None)[1], "range")
    s, e, method = _decade_span(g["anum"] or g["alead"], g["aq"])
    if pattern is _DECADE:
        return _checked(s, e, method)
    if g["bshort"]:
        b_num, b_q = str(int(g["anum"] or g["alead"]) // 100 * 100 + int(g["bshort"])), g["bq2"]
    else:
        b_num, b_q = g["bnum"] or g["blead"], g["bq"]
    _, e, method_b = _decade_span(b_num, b_q)
    return _checked(s, e, "decade" if method == method_b == "decade" else "range")


def _read_hijri(m: re.Match, pattern: re.Pattern, ctx: _Context) -> _Span | None:
    year = int(m.group("a") or m.group("b"))
    if year > 1500:  # 1500 AH is 2077 CE: "Ah 1850" is not a Hijri year
        return None
    if year < 1:
        raise _Unreadable(m.group())
    # A Hijri year (354.37 days) begins 0.970224 Gregorian years after the one before; 1 AH began
    # in July 622. It overlaps two Gregorian years.
    begin = 622.537 + (year - 1) * 0.970224
    return _Span(math.floor(begin), math.floor(begin + 0.970224), "year")


def _bare_year_ok(num: str) -> bool:
    return len(num) == 4 and MIN_BARE_YEAR <= int(num) <= MAX_BARE_YEAR


def _plain_year_ok(num: str, circa: str | None) -> bool:
    """Whether a number without an era mark may be read as a year: four digits, or three after "c."."""
    return _bare_year_ok(num) or (bool(circa) and len(num) == 3)


def _read_year_range(m: re.Match, pattern: re.Pattern, ctx: _Context) -> _Span | None:
    g = m.groupdict()
    if g["sep"] in _CONJUNCTIONS and (g["lead"] or "") not in _BETWEEN:
        return None  # "1850 and 1900" lists two dates, it is not a range
    a, b = g["anum"], g["bnum"]
    era_a, era_b = _era_of(m, "a"), _era_of(m, "b")
    if era_a is None and era_b is None and max(len(a), len(b)) > 4:
        return None  # five-digit numbers are years only with an era
    if era_a is None and era_b is None:
        if len(a) == 4 and len(b) == 2:
            end = int(a) // 100 * 100 + int(b)
            if end >= int(a):  # "1790-95"
                return _checked(int(a), end, "range")
            if g["sep"] in "-/" and 1 <= int(b) <= 12 and _bare_year_ok(a):  # "1975-03": year, month
                return _checked(int(a), int(a), "date")
            raise _Unreadable(m.group())
        circa = g["circa"] or g["circa2"]
        if not (_plain_year_ok(a, circa) and _plain_year_ok(b, circa)):
            # "960-1279", "618-907": a range that runs forwards is CE, unless the text names a
            # period, whose own dates decide ("Han dynasty (206-220)" is 206 BCE - 220 CE).
            if (not ctx.named and len(a) >= 3 and len(b) >= 3 and int(a) < int(b) <= MAX_BARE_YEAR
                    and g["sep"] in ("-", "to")):
                return _checked(int(a), int(b), "range")
            return _WEAK
    # An unmarked end follows a BCE start ("500 BC - 400"); an unmarked start follows the end's era.
    era_b = era_b or era_a
    era_a = era_a or era_b
    return _checked(_signed(int(a), era_a), _signed(int(b), era_b), "range")


def _read_year(m: re.Match, pattern: re.Pattern, ctx: _Context) -> _Span | None:
    g = m.groupdict()
    num, era = g["anum"], _era_of(m, "a")
    if era is None and len(num) > 4:
        return None  # an inventory number, not a year
    if era is None:
        if len(num) < 4 and not _plain_year_ok(num, g["circa"]):
            return None  # "3 pieces", "No. 5": a small bare number is not a year
        if not _plain_year_ok(num, g["circa"]):
            raise _Unreadable(num)
    year = _signed(int(num), era)
    return _Span(year, year, "year")


_STEPS = (
    (_ISO_DATE, _read_dates), (_NUMERIC_DATE, _read_dates), (_TEXT_DATE, _read_dates),
    (_MONTH_YEAR_NUMERIC, _read_dates),
    (_CENTURY_RANGE, _read_century), (_CENTURY, _read_century), (_HIJRI, _read_hijri),
    (_YEAR_DECADE, _read_decade), (_DECADE_RANGE, _read_decade), (_DECADE, _read_decade),
    (_YEAR_RANGE, _read_year_range), (_YEAR, _read_year),
)

# What a text must contain for a pattern to have a chance: a cheap test that spares most texts
# ("c. 1850", "1790-1830") the costly patterns.
_DECADE_HINT = re.compile(r"0\s?'?s|0er|annees|anni|decada")
_HINTS = {
    _TEXT_DATE: re.compile(r"[a-z]{3}"),
    _CENTURY_RANGE: re.compile(r"[a-z]{2}|\d[a-z.]|c\d"),
    _CENTURY: re.compile(r"[a-z]{2}|\d[a-z.]|c\d"),
    _HIJRI: re.compile(r"a\.?\s?h|hijri"),
    _YEAR_DECADE: _DECADE_HINT, _DECADE_RANGE: _DECADE_HINT, _DECADE: _DECADE_HINT,
}
# Looked up once here: hashing a compiled pattern hashes its whole source every time.
_HINTED_STEPS = tuple((pattern, reader, _HINTS.get(pattern)) for pattern, reader in _STEPS)


def _context(text: str, m: re.Match, width: int = 80) -> tuple[str, str]:
    """The text just before and just after a match. Bounded so long texts stay linear; the cue
    patterns only look at the few words next to the match."""
    return text[max(0, m.start() - width):m.start()], text[m.end():m.end() + width]


_BLANK = "\x00"  # matches neither \s nor [a-z\d], so consumed text also separates its neighbours
# An ordinal left over once everything readable is consumed ("18th, 19th century") belongs to an
# expression that was only partly read.
_LEFTOVER_ORDINAL = re.compile(r"(?<![\d.])\d{1,2}\s?(?:st|nd|rd|th)(?![a-z])")


def _widened(span: _Span, years: int) -> _Span:
    return span._replace(start=span.start - years, end=span.end + years,
                               approximate=True)


def _bounded(span: _Span, before: str, after: str, numeric: bool = True) -> _Span:
    """``span`` as it stands in its text: closed, or the bound it gives of an open span.
    ``numeric``: the expression begins with a digit (Dutch "na 1850" is "after 1850")."""
    cue = _OPEN_BEFORE.search(before)
    if cue and cue.group("na") and not numeric:
        cue = None
    # "dating from 1850", "a bowl from the Edo period", "from the 18th century": "from" says when
    # the object dates from, not since when; only "from 1850" alone opens a span
    if cue and cue.group("since") and re.match(r"from|de|du|von", cue.group("since")) and (
            span.start != span.end or re.search(r"dat(?:ing|es?|ed)\s+from\s*(?:the\s+)?$", before)):
        cue = None
    if cue:
        if cue.group("dash"):
            raise _Unreadable(before)  # "-1850": up to 1850, or the year -1850?
        if cue.group("onward"):  # "1804-after 1860": the range before it has an open end
            return span._replace(start=span.end, end=span.end, kind="onward")
        if cue.group("after"):
            return span._replace(start=span.end, end=span.end, kind="lower")
        if cue.group("since"):
            return span._replace(end=span.start, kind="lower")
        if cue.group("before"):
            return span._replace(start=span.start, end=span.start, kind="upper")
        return span._replace(start=span.end, kind="upper")  # until
    cue = _OPEN_AFTER.match(after)
    if cue:
        if cue.group("later"):
            return span._replace(end=span.start, kind="lower")
        return span._replace(start=span.end, kind="upper")
    return span


def _glosses(text: str) -> list[tuple[int, int]]:
    """Where the text gives a period's own dates in parentheses right after its name."""
    pattern, _ = _gazetteer()
    out = []
    for m in re.finditer(r"\(([^()]*)\)", text):
        before = text[max(0, m.start() - 80):m.start()]
        if _GLOSS_BEFORE.search(before) or any(n.end() == len(before.rstrip())
                                                for n in pattern.finditer(before)):
            out.append((m.start(), m.end()))
    return out


def _explicit_spans(text: str, ctx: _Context) -> tuple[list[_Span], bool]:
    """Every explicit date expression in ``text`` (already folded), and whether weak numbers were
    seen. Raises _Unreadable."""
    work = _ORDINAL_NAME.sub(lambda m: _BLANK * len(m.group()), text)
    glosses = _glosses(text) if "(" in text else []
    spans: list[_Span] = []
    weak = False
    for pattern, reader, hint in _HINTED_STEPS:
        if hint is not None and not hint.search(text):
            continue
        for m in list(pattern.finditer(work)):
            before, after = _context(text, m)
            if (pattern is _YEAR or pattern is _YEAR_RANGE) and _NOT_A_YEAR_BEFORE.search(before):
                continue
            span = reader(m, pattern, ctx)
            if span is None:
                continue
            work = work[:m.start()] + _BLANK * (m.end() - m.start()) + work[m.end():]
            if span is _WEAK:
                weak = True
                continue
            if _STYLE_AFTER.match(after) or _STYLE_BEFORE.search(before):
                continue
            if (pattern is _CENTURY or pattern is _CENTURY_RANGE) and _UNREAD_PART.search(before):
                raise _Unreadable(m.group())
            if _CHANGE_BEFORE.search(before) or _CHANGE_AFTER.match(after):
                raise _Unreadable(m.group())
            g = m.groupdict()
            if (g.get("circa") or g.get("circa2") or _CIRCA_BEFORE.search(before)
                    or _CIRCA_AFTER.match(after)):
                span = _widened(span, ctx.circa)
            if any(a < m.start() < b for a, b in glosses):
                span = span._replace(gloss=True)
            spans.append(_bounded(span, before, after, m.group()[:1].isdigit()))
    if spans and _LEFTOVER_ORDINAL.search(work):
        raise _Unreadable(work)
    return spans, weak


def _narrowest_consistent(spans: list[_Span]) -> _Span | None:
    """The narrowest span if it lies inside every other span, else None (the spans disagree)."""
    best = min(spans, key=lambda s: s.end - s.start)
    if all(s.start <= best.start and best.end <= s.end for s in spans):
        return best
    return None


# --------------------------------------------------------------------------------------------
# Gazetteer
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def load_periods() -> pd.DataFrame:
    """Load the period gazetteer.

    Returns
    -------
    pandas.DataFrame
        ``data/periods.csv`` (path from ``asemus_data.paths.PERIODS_FILE``) with columns name,
        aliases (``;``-separated), kind (period|dynasty|reign|era), region, start and end
        (int64 years, BCE negative) and source (a citation). Cached: treat it as read-only.

    Raises
    ------
    ValueError
        If a column is missing, or a row has start > end, an unknown kind or no source.
    """
    df = pd.read_csv(paths.PERIODS_FILE, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in PERIOD_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"{paths.PERIODS_FILE.name}: missing column(s) {missing}")
    df = df[list(PERIOD_COLUMNS)].copy()
    for col in ("start", "end"):
        df[col] = pd.to_numeric(df[col].str.strip(), errors="raise").astype("int64")
    bad = df[(df["start"] > df["end"]) | ~df["kind"].isin(PERIOD_KINDS) | (df["source"].str.strip() == "")]
    if len(bad):
        raise ValueError(f"{paths.PERIODS_FILE.name}: invalid row(s) {bad['name'].tolist()}")
    return df


def _alias_key(name: str) -> str:
    return re.sub(r"[\s-]+", "", _fold(name))


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[re.Pattern, dict[str, frozenset[_Span]]]:
    """One regex over every name and alias, and what each normalised name stands for."""
    index: dict[str, set[_Span]] = {}
    tokens: dict[str, list[str]] = {}
    for row in load_periods().itertuples(index=False):
        method = "reign" if row.kind == "reign" else "period"
        for name in [row.name, *row.aliases.split(";")]:
            key = _alias_key(name)
            if not key:
                continue
            index.setdefault(key, set()).add(_Span(int(row.start), int(row.end), method))
            tokens[key] = [t for t in re.split(r"[\s-]+", _fold(name)) if t]
    alternatives = [r"[\s-]*".join(map(re.escape, tokens[k])) for k in sorted(tokens, key=len, reverse=True)]
    pattern = re.compile(r"(?<![a-z\d])(?:" + "|".join(alternatives) + r")(?![a-z\d])")
    return pattern, {k: frozenset(v) for k, v in index.items()}


# Between two names, this joins them into one span: "late Ming to early Qing", "Ming or Qing".
_NAME_JOIN = re.compile(
    rf"\s*(?:(?:dynasty|period|era|reign)\s*)?(?:\([^()]*\)\s*)?(?:-|/|to|until|or|and|bis|oder|und|ou|et)\s*"
    rf"(?:(?P<q>{_QUAL})\s*-?\s*)?(?:the\s+)?")
_QUAL_BEFORE = re.compile(rf"(?P<q>{_QUAL})\s*-?\s*(?:the\s+)?$")


def _name_spans(text: str) -> list[_Span]:
    """Gazetteer names in ``text`` (already folded). Raises _Unreadable for an ambiguous name.

    A qualifier narrows a name as it narrows a century ("late Qing" is the last third of the
    dynasty); names joined by "to"/"or" give the span over both."""
    pattern, index = _gazetteer()
    spans: list[_Span] = []
    last_kept_end: int | None = None
    for m in pattern.finditer(text):
        join = _NAME_JOIN.fullmatch(text, last_kept_end, m.start()) if last_kept_end is not None else None
        last_kept_end = None
        meanings = index.get(_alias_key(m.group()), frozenset())
        if len(meanings) != 1:
            raise _Unreadable(m.group())  # "Jin", "Three Kingdoms": several entries share the name
        span = next(iter(meanings))
        before, after = _context(text, m)
        if span.method == "reign" and (_MARK_AFTER.match(after) or _MARK_BEFORE.search(before)):
            continue
        if _STYLE_AFTER.match(after) or _STYLE_BEFORE.search(before):
            continue
        if join:
            qualifier = join.group("q")
        else:
            q = _QUAL_BEFORE.search(before)
            qualifier = q.group("q") if q else None
        if qualifier:
            span = span._replace(**dict(zip(("start", "end"),
                                                        _qualify(span.start, span.end, qualifier))))
        if join:
            last = spans.pop()
            method = "reign" if last.method == span.method == "reign" else "period"
            span = _Span(min(last.start, span.start), max(last.end, span.end), method)
        else:
            span = _bounded(span, before, "", numeric=False)
        span = _bounded(span, "", after) if span.kind == "closed" else span
        spans.append(span)
        if span.kind == "closed":
            last_kept_end = m.end()
    return spans


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------

def _empty(original: str = "") -> ParsedDate:
    return ParsedDate(original, None, None, "empty")


_PERIOD_WORD = re.compile(r"(?<![a-z])(?:dynasty|period|era|reign|kingdom|empire)(?![a-z])")
# EDTF (ISO 8601-2) as some systems export it: "185X", "19XX", "1850~", "../1850", "1850/..".
# undate reads these; the hand-written patterns would not.
_EDTF = re.compile(r"(?=.*(?:[0-9]X|X[0-9X]|~|%|\.\.))[-+0-9X~?%/.]+")


# "12,000 BCE", "1,500 BP", "12.000 v. Chr.": thousands separators, removed before reading
_THOUSANDS = re.compile(
    rf"(?<![\d.,])\d{{1,3}}(?:,\d{{3}})+(?![\d,])"
    rf"|(?<![\d.,])\d{{1,3}}(?:[. ]\d{{3}})+(?=\s*(?:{_BCE}|{_BP})(?![a-z]))")


def _edtf(original: str, circa: int) -> ParsedDate | None:
    raw = original.strip().upper()
    if not _EDTF.fullmatch(raw):
        return None
    from undate import Undate  # imported on first use: most texts never need it

    try:
        found = Undate.parse(raw.replace("%", "~"), "EDTF")
    except Exception:  # noqa: BLE001 - undate raises several types for text it cannot read
        return None
    bounds = []
    for side in ("earliest", "latest"):
        value = getattr(found, side, None)
        value = getattr(value, side, value)  # an interval's ends are Undates
        bounds.append(None if value is None else int(value.year))
    start, end = bounds
    if start is None and end is None:
        return None
    method = "open" if start is None or end is None else ("year" if start == end else "range")
    approximate = "~" in raw or "%" in raw
    if approximate:
        start = None if start is None else start - circa
        end = None if end is None else end + circa
    return ParsedDate(original, start, end, method, approximate, "?" in raw or "%" in raw)


def _stages_apart(closed: list[_Span]) -> bool:
    """Whether stages of making are dated apart (one ends before another starts): "1931, printed
    1979" is then dated 1931 by one collection, 1979 by another and 1931-1979 by a third."""
    return max(s.start for s in closed) > min(s.end for s in closed)


def _resolve(spans: list[_Span], text: str) -> tuple[int | None, int | None, str, bool, bool] | None:
    """One reading from all the spans of a text (start, end, method, approximate, readings: True
    when the text's years can be read more than one way), or None when they disagree."""
    closed = [s for s in spans if s.kind == "closed"]
    closed = [s for s in closed if not s.gloss] or closed
    lowers = [s.start for s in spans if s.kind in ("lower", "onward")]
    uppers = [s.end for s in spans if s.kind == "upper"]
    lo, hi = (max(lowers) if lowers else None), (min(uppers) if uppers else None)
    readings = False
    if closed:
        if len(closed) > 1 and _STAGE.search(text):
            readings = _stages_apart(closed) or any(s.readings for s in closed)
            # each stage of making the object counts: the date runs from the first to the last
            best = _Span(min(s.start for s in closed), max(s.end for s in closed), "range",
                         approximate=any(s.approximate for s in closed))
        else:
            best = _narrowest_consistent(closed)
            if best is None:
                return None
            readings = best.readings
        if lo is not None and lo > best.end and (any(s.kind == "onward" for s in spans)
                                                 or _STAGE.search(text)):
            # "1804-after 1860", "model 1880, cast after 1900": the start is known, the end is open
            return best.start, None, "open", best.approximate, False
        if (lo is not None and lo > best.end) or (hi is not None and hi < best.start):
            return None  # "1850, after 1900": the bound contradicts the date
        if re.search(r"posthum|later|subsequ|death", text) and _LATER_STAGE.search(text):
            return best.start, None, "open", best.approximate, False  # "1916, printed posthumously"
        # "18th century, after 1750": a bound inside the span narrows it
        start = best.start if lo is None else max(best.start, lo)
        end = best.end if hi is None else min(best.end, hi)
        return start, end, best.method, best.approximate, readings
    if lo is not None and hi is not None:
        return (lo, hi, "range", False, False) if lo <= hi else None
    if lo is None and hi is None:
        return None
    return lo, hi, "open", False, False


@lru_cache(maxsize=65536)
def _parse_text(original: str, dayfirst: bool, circa: int = CIRCA_YEARS) -> ParsedDate:
    text = _fold(original)
    if not text:
        return _empty(original)
    unparsed = ParsedDate(original, None, None, "unparsed")
    core = re.sub(r"^[\s\[\](){}\"']+|[\s\[\](){}\"',;:]+$", "", text)
    if _UNDATED.fullmatch(core):
        return ParsedDate(original, None, None, "undated")
    edtf = _edtf(original, circa)
    if edtf is not None:
        return edtf
    if "," in text or re.search(r"\d[. ]\d{3}", text):
        text = _THOUSANDS.sub(lambda m: re.sub(r"[,. ]", "", m.group()), text)
    try:
        spans, weak = _explicit_spans(text, _Context(text, dayfirst, circa))
        explicit = [s for s in spans if s.kind == "closed" and not s.gloss]
        reading = None
        if explicit or (not weak and any(s.kind == "closed" for s in spans)):
            reading = _resolve(spans, text)
        if reading is None and not explicit:
            # "Tang dynasty (618-907)": weak numbers cannot decide, so the name does; in
            # "Goryeo dynasty (918-1392), 12th century" they are the name's gloss and the century
            # decides; "Ming (1368-1644) or Qing (1644-1911)": the names say how the two join;
            # "Edo period, collected 1880": the name with the bound
            names = _name_spans(text)
            if names:
                reading = _resolve(names + [s for s in spans if s.kind != "closed"], text)
            elif spans:
                reading = _resolve(spans, text)
    except _Unreadable:
        return unparsed
    if reading is None:
        return unparsed
    start, end, method, approximate, readings = reading
    doubt = ("?" in text or re.search(r"[a-z]{2}", text)) and _DOUBT.search(text)
    return ParsedDate(original, start, end, method, approximate, bool(doubt), bool(readings))


def _is_missing(value) -> bool:
    try:
        missing = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return isinstance(missing, (bool, np.bool_)) and bool(missing)


def parse_date(text, *, dayfirst: bool = True, circa_years: int = CIRCA_YEARS) -> ParsedDate:
    """Read one free-text date into a start and end year without guessing.

    Parameters
    ----------
    text : str or None or scalar
        The date as written. ``None``/NaN give method ``"empty"``; dates and timestamps give
        their year; numbers are read as their digits (``1850.0`` -> ``"1850"``).
    dayfirst : bool, default True
        How all-numeric dates are checked: "9/12/1975" is 9 December when True, 12 September
        when False. Only the year is kept, but a date impossible in the chosen order
        ("13/25/1975") is unparsed.
    circa_years : int, default CIRCA_YEARS (5)
        Years added on each side of an approximate date ("c. 1850" -> 1845-1855). Pass 0 for
        dates of events whose stated years are already the best estimate (an agreement signed
        "c. 2007-2008").

    Returns
    -------
    ParsedDate
        ``start``/``end`` are inclusive years (BCE negative), both None unless the text was read,
        and exactly one of them None when the text leaves that side open (method ``"open"``:
        "after 1850"); ``method`` says how (see ``METHODS``); ``approximate``, ``uncertain`` and
        ``readings`` flag circa, doubt and several readings (``certainty`` names the one that
        applies). Results are cached per distinct text.

    Examples
    --------
    >>> p = parse_date("Edo period (1603-1867), c. 1790-1830")
    >>> p.start, p.end, p.method, p.approximate
    (1785, 1835, 'range', True)
    >>> p = parse_date("1963, printed 1980")
    >>> p.start, p.end
    (1963, 1980)
    >>> parse_date("late Qing?").uncertain
    True
    >>> parse_date("18th-19th century").certainty
    'several readings'
    >>> parse_date("blue and white").method
    'unparsed'
    """
    if text is None or _is_missing(text):
        return _empty()
    if isinstance(text, _dt.date):  # datetime, pandas Timestamp
        return ParsedDate(str(text), text.year, text.year, "date")
    if not isinstance(text, str):
        if isinstance(text, numbers.Real) and not isinstance(text, (bool, np.bool_)):
            value = float(text)
            text = str(int(value)) if math.isfinite(value) and value.is_integer() else str(text)
        else:
            text = str(text)
    return _parse_text(text, bool(dayfirst), int(circa_years))


def parse_dates(values, *, dayfirst: bool = True, circa_years: int = CIRCA_YEARS,
                flags: bool = False) -> pd.DataFrame:
    """Read a column of free-text dates; each distinct value is read once.

    Parameters
    ----------
    values : pandas.Series or iterable
        The dates as written.
    dayfirst, circa_years
        As in :func:`parse_date`.
    flags : bool, default False
        Also return the boolean columns ``approximate``, ``uncertain`` and ``readings`` and the
        text column ``certainty`` (one of :data:`CERTAINTIES`, None where no year was read).

    Returns
    -------
    pandas.DataFrame
        Columns ``original``, ``start``, ``end`` (nullable ``Int64``) and ``method`` (then the
        flags when asked); the same index as ``values`` when it is a Series, else a RangeIndex.
        An open text ("after 1850") has one of ``start``/``end`` missing.
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    table = [parse_date(u, dayfirst=dayfirst, circa_years=circa_years) for u in uniques] + [_empty()]
    take = np.where(codes < 0, len(table) - 1, codes)
    columns = {
        "original": np.array([p.original for p in table], dtype=object)[take],
        "start": pd.array([p.start for p in table], dtype="Int64")[take],
        "end": pd.array([p.end for p in table], dtype="Int64")[take],
        "method": np.array([p.method for p in table], dtype=object)[take],
    }
    if flags:
        for name in ("approximate", "uncertain", "readings"):
            columns[name] = np.array([getattr(p, name) for p in table], dtype=bool)[take]
        columns["certainty"] = np.array([p.certainty for p in table], dtype=object)[take]
    return pd.DataFrame(columns, index=series.index)


def summarise(parsed: pd.DataFrame) -> dict:
    """Count what a :func:`parse_dates` result holds.

    Returns
    -------
    dict
        ``total``, ``parsed`` (start and end set), ``open`` (one year read, the other left open as
        the text leaves it: "after 1850"), ``undated``, ``unparsed`` (ints; the four add up to
        ``total`` minus the empty cells) and ``unparsed_examples``: up to 10 distinct unparsed
        texts, in order of first appearance. When ``parsed`` carries the flag columns
        (``parse_dates(..., flags=True)``), also ``approximate``, ``uncertain`` and ``readings``
        (ints) with ``uncertain_examples`` and ``readings_examples``, so an import report can say
        which dates the texts themselves doubt and which collections read several ways.
    """
    method = parsed["method"].astype(str)
    unparsed = method == "unparsed"
    examples = pd.unique(parsed.loc[unparsed, "original"].astype(str))[:10]
    out = {
        "total": int(len(parsed)),
        "parsed": int((parsed["start"].notna() & parsed["end"].notna()).sum()),
        "open": int((method == "open").sum()),
        "undated": int((method == "undated").sum()),
        "unparsed": int(unparsed.sum()),
        "unparsed_examples": [str(x) for x in examples],
    }
    if {"approximate", "uncertain", "readings"} <= set(parsed.columns):
        out["approximate"] = int(parsed["approximate"].astype(bool).sum())
        uncertain = parsed["uncertain"].astype(bool)
        # a text both doubted and read several ways counts once, as uncertain (its certainty)
        for name, mask in (("uncertain", uncertain),
                           ("readings", parsed["readings"].astype(bool) & ~uncertain)):
            out[name] = int(mask.sum())
            out[f"{name}_examples"] = [str(x) for x in
                                       pd.unique(parsed.loc[mask, "original"].astype(str))[:10]]
    return out
