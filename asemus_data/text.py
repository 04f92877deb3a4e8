"""Values from data shown as the characters they are, wherever the app renders text.

Streamlit reads the text of ``st.markdown``, ``st.caption``, ``st.info``, ``st.toast``, headers
and widget labels as Markdown with extensions: ``**bold**``, links, raw HTML tags, LaTeX between
``$``, colour and icon directives (``:red[...]``, ``:material/icon:``), emoji shortcodes
(``:smile:``). A museum name, a source, an exhibition note or a presentation view's name is
data, never markup: :func:`md` backslash-escapes (the CommonMark escape, which Streamlit's
parser and its math, directive and emoji plugins all honour) each character that could start
markup, so the text renders exactly as written (tests/test_security_text.py checks it with a
CommonMark parser and against the patterns Streamlit's frontend applies). :func:`plain` is the same
text for places that do not
read Markdown (``st.text``, tooltips, slides, the pack's text files). Both replace control and
bidirectional-override characters, which would otherwise be invisible or reorder what follows
them, with U+FFFD.
"""
from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

import pandas as pd

#: Shown in place of a control character (NUL, ESC, ...) or a bidirectional override.
REPLACEMENT = "\ufffd"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile(r"[\t\n\r\u2028\u2029\x85]+")
# characters that start inline markup wherever they are (CommonMark, GFM, Streamlit's math)
_INLINE = re.compile(r"([\\`*_\[\]<>$~|&])")
# :smile: (emoji), then a colon before a name or a slash (:red[...], :material/..., http://)
_SHORTCODE = re.compile(r"(?<!\\):([\w+-][\w+-]*):")
_COLON = re.compile(r"(?<!\\):(?=[\w+/-])")
# a heading, list or quote marker at the start (the value may open a paragraph or a list item)
_BLOCK = re.compile(r"\A()([#+=-])|\A(\d{1,9})([.)])")
# Streamlit rewrites ":material/" in the source before parsing, escaped or not
_MATERIAL = re.compile(r"(?i)(:material)/")


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array: not one missing value
        return False


def plain(value, missing: str = "") -> str:
    """``value`` as text (``missing`` for None/NaN/NA), control characters replaced; line breaks
    and tabs are kept (a place that shows plain text shows them as breaks)."""
    if _missing(value):
        return missing
    return _CONTROL.sub(REPLACEMENT, str(value))


def one_line(value, missing: str = "") -> str:
    """:func:`plain` on one line: line breaks and tabs become a single space."""
    return _SPACE.sub(" ", plain(value, missing))


def md(value, missing: str = "") -> str:
    """``value`` for any Streamlit element that reads Markdown, shown as the characters it is (on
    one line). Backslash-escapes (CommonMark's escape, honoured by Streamlit's parser and plugins)
    every character that can start markup anywhere in a line (``\\ ` * _ [ ] < > $ ~ | &``),
    the colons of ``:name:``, ``:name[`` and ``:material/`` patterns, the slash of ``:material/``
    and a list or heading marker at the start; other text is left as it is, so the source stays
    readable. A bare URL or e-mail address still becomes a link (Streamlit's GFM autolinks work
    on the text, after escapes), but its text is always the address itself."""
    out = _INLINE.sub(r"\\\1", one_line(value, missing).lstrip())
    out = _SHORTCODE.sub(lambda m: "\\:" + m.group(1) + "\\:", out)
    out = _COLON.sub(r"\\:", out)
    out = _MATERIAL.sub(r"\1\\/", out)
    return _BLOCK.sub(lambda m: (m.group(1) or m.group(3) or "") + "\\" + (m.group(2) or m.group(4)),
                      out, count=1)


def md_url(value) -> str:
    """A source for Markdown: an http(s) URL becomes a link whose text is the URL itself (so a
    crafted source cannot choose its link text); anything else is escaped text (:func:`md`)."""
    text = one_line(value).strip()
    parts = urlsplit(text) if " " not in text else None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return md(text)
    target = quote(text, safe=":/?#[]@!$&'*+,;=%~-._")
    target = target.replace("(", "%28").replace(")", "%29")
    return f"[{md(text)}]({target})"


def md_sources(values, sep: str = "; ") -> str:
    """Several sources for Markdown (:func:`md_url` each), blanks left out."""
    return sep.join(md_url(v) for v in values if one_line(v).strip())


def notice_summary(notices, limit: int = 5, width: int = 160) -> str:
    """Many notices as one plain message: how many, the first ``limit`` (each cut to ``width``
    characters), and how many more. Duplicates count once. A link with 1,500 bad values gives
    one short message, not 1,500."""
    unique = list(dict.fromkeys(one_line(n) for n in notices if one_line(n).strip()))
    if not unique:
        return ""
    if len(unique) == 1:
        return unique[0][:width]
    shown = [n if len(n) <= width else n[:width - 3] + "..." for n in unique[:limit]]
    more = len(unique) - len(shown)
    return (f"{len(unique):,} notices: " + " · ".join(shown)
            + (f" · and {more:,} more." if more else ""))


def html_text(value, missing: str = "") -> str:
    """``value`` for plotly text (axis categories, labels, hover fields), which reads a few HTML
    tags (``<b>``, ``<br>``, ``<a href>``...) and decodes entities: ``&``, ``<`` and ``>``
    escaped once, so the text shows as written."""
    return html.escape(plain(value, missing), quote=False)
