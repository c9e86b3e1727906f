"""Content signals: the measurable facts behind the content scores, gathered from one page's
main content. No scores here (scoring/content.py turns these into 0–100); only what the text shows.

- answer-first: is the first paragraph after the H1 a concise, declarative answer on the page's
  topic; how many words precede the first answer-like paragraph; is there a summary block;
  do question-shaped subheadings get a direct answer?
- attribution: sentences that make claims (statistics: numbers, percentages, money, years;
  comparatives and superlatives), which of them name a source (cue phrases, "(Org, 2025)",
  footnote markers, `<cite>`, links to other sites in the paragraph), quotations, outbound links;
- readability: textstat's Flesch reading ease and grade on the main text, sentence and
  paragraph lengths, fact density; null with a reason where textstat's numbers mean nothing;
- structure: H1 count, skipped heading levels, question-shaped headings, lists and tables
  against enumerations written as prose, paragraph length.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

# textstat is pinned (==0.7.8): its word list and counts are what its own Flesch formulas use.
from textstat.backend.counts import count_sentences, count_syllables
from textstat.backend.selections import list_words

from geoaudit.models import (
    AnswerFirst,
    Attribution,
    ContentSignals,
    PageModel,
    Readability,
    Structure,
    TextBlock,
)

PARAGRAPH_TAGS = {"p", "div", "section", "article", "main", "dd", "blockquote", "address"}
PROSE_TAGS = {"p", "li", "dd", "blockquote", "div", "section", "article", "main"}
MIN_WORDS = 100
LONG_PARAGRAPH_WORDS = 120
ANSWER_MIN_WORDS, ANSWER_MAX_WORDS = 15, 80
# The opening paragraph, or a summary, may answer in a tagline: "Obtain Auth0 credentials using
# WT_USERNAME and WT_PASSWORD stored as environment variables" (13 words).
OPENING_MIN_WORDS = 8
MAX_EXAMPLES = 3
STOPWORDS = frozenset(
    " ".join(
        (
            "the a an and or but of to in on for with at by from as is are was were be been being",
            "it its this that these those your you our we they their how what why when where who",
            "which can do does did not no yes more most less than into about over under per vs via",
            "all any each",
        )
    ).split()
)
FILLER = re.compile(
    r"^(in today'?s|in this (article|post|guide|blog)|welcome to|have you ever|are you (looking|"
    r"wondering)|when it comes to|it'?s no secret|in the (world|realm) of|let'?s (dive|take|talk)|"
    r"we all know|as we all know|in (an|the) (ever|increasingly)|look no further|if you'?re like)",
    re.IGNORECASE,
)
SUMMARY = re.compile(
    r"^\W*(tl;?dr|key takeaways?|in short|in summary|quick summary|summary|at a glance|the "
    r"short answer|bottom line|quick answer|in brief|一句话|摘要|要点|总结|概要|要約|요약)",
    re.IGNORECASE,
)
# A summary's label standing alone ("Quick Summary", "TL;DR"): the block after it is the summary.
SUMMARY_LABEL_WORDS = 3
QUESTION_WORDS = re.compile(
    r"^((what|why|how|when|where|who|which)\s+(is|are|was|were|do|does|did|can|could|should|"
    r"will|would|to|much|many|long|often|makes?)\b|(can|do|does|is|are|should|will|could|"
    r"would)\s+\w+)",
    re.IGNORECASE,
)
BYLINE = re.compile(
    r"^(by\s|posted|published|updated|last updated|written by)|\bmin read\b"
    # a metadata line: a short label and a colon ("Source:", "原始标题：", "文章网址：")
    r"|^[^\s:：]{1,12}[:：]\s*\S",
    re.IGNORECASE,
)
REFERENCES = re.compile(
    r"^\W*(references|sources?|original sources?|bibliography|citations|further reading|notes|"
    r"参考资料|参考文献|參考資料|参考|参考リンク|原始来源|来源|來源|资料来源|信息来源|出处|原文|출처|"
    r"참고\s?문헌|참고\s?자료|quellen|literatur|referenzen|fuentes|referencias|références|"
    r"sources et références|источники|литература)[:：]?$",
    re.IGNORECASE,
)
# A paragraph that links the page's source document: "Source: …", "原文链接", "参考资料 1",
# "Via TechCrunch". A summary of a linked report names its source once, not per sentence.
SOURCE_LINE = re.compile(
    r"^(sources?|original( article| story)?|via|read more at|参考资料|参考文献|原文链接|原文|来源|"
    r"來源|出典|출처|quelle|fuente)\b\s*[:：]?",
    re.IGNORECASE,
)
# A sentence ends at . ! ? before a space and a capital, or at the full stops of Chinese and
# Japanese, written without a space after them (a whole CJK paragraph was one "sentence").
_SENTENCE = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[A-Z0-9“\"(\[])")
_CJK_STOPS = frozenset("。！？")
_CJK_SENTENCE = re.compile(r"(?<=[。！？])(?![”」』）])\s*|(?<=[。！？][”」』）])\s*")
# Words in every script: in scripts written with spaces, a run of letters and digits (joined
# by hyphens and apostrophes: "well-known", "don't"); in Chinese and Japanese, written without
# spaces, each ideograph or kana counts as one word, as word processors count them. A
# Latin-only pattern once gave a 1,287-word Korean column "88 words" and Chinese pages none.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+(?:[-'’][^\W_{_CJK}]+)*")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = re.compile(
    rf"\b\d{{1,2}}\s+{_MONTH}\s+\d{{4}}\b|\b{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}\b|"
    r"\b\d{4}-\d{2}-\d{2}\b",
    re.IGNORECASE,
)
_STATISTIC = re.compile(
    r"\d+(?:[.,]\d+)?\s?(?:%|percent\b|per cent\b)|[$€£¥]\s?\d|\b\d+(?:\.\d+)?\s?(?:usd|eur|gbp|"
    r"dollars|euros|pounds|million|billion|thousand|bn|m|k)\b|\b\d{2,}(?:[.,]\d+)*\b|\b\d+\.\d+\b",
    re.IGNORECASE,
)
# Numbers that state no claim, taken out before statistics are counted: LaTeX, IP addresses
# and ports, versions, phone numbers, times, ratios and verse references (3:16), years on
# their own, numbered labels (step 3, section 4.2, figure 2, page 12) and durations in
# minutes to weeks. CT004 once fired on 80 of one company site's 89 pages for such numbers.
_NOT_A_CLAIM = re.compile(
    r"\$[^$]{1,200}\$|\\\(.{1,200}?\\\)|\\[a-z]+\{[^}]*\}"
    r"|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|(?:localhost|\w)\:\d{2,5}\b|\bport\s+\d+"
    r"|\b(?:v|version\s+|release\s+|python\s+|node\s+|php\s+)\d+(?:\.\d+)*\b|\b\d+(?:\.\d+){2,}\b"
    # a product and its version: "Angular 3.0", "iOS 17.2" (not "Revenue 3.5 million")
    r"|(?-i:\b(?:[A-Z][\w+#.-]*|[a-z]+[A-Z][\w+#.-]*)\s+\d+\.\d+\b)"
    r"(?!\s?(?:%|(?:percent|million|billion|thousand|bn|m|k|times|x|dollars|euros|pounds|usd|"
    r"eur|gbp|stars?|points?)\b))"
    r"|(?:\+|\b00)\d[\d ()./-]{6,}\d|\(\d{2,5}\)\s?\d[\d .-]{4,}\d|\b\d{3}[ .-]\d{3,4}[ .-]\d{4}\b"
    r"|\b\d{1,3}:\d{2}(?::\d{2})?\b|\b\d+:\d+\b"
    r"|(?<![$€£¥\d.,])\b(?:19|20)\d{2}\b(?![.,]?\d|\s?(?:%|percent))"
    r"|\b(?:step|section|chapter|part|figure|fig\.|table|page|p\.|no\.|item|rule|article|art\.|"
    r"paragraph|lesson|episode|season|vol\.|volume|question|q)\s*\d+(?:\.\d+)*\b"
    # the same in Chinese and Japanese: 条款 07, 第 3 章, 第12条
    r"|(?:条款|条目|章节|第)\s*\d+\s*[条章节项回話话]?"
    # a language or standard and its version written together: C++11, C#10
    r"|(?-i:\b[A-Z][+#]+\d+\b)"
    # how long a step takes, and a schedule's days: "30-45 minutes", "24 hours notice",
    # "Days 5-14" (a service's timing, not a figure to source; months and years, as in
    # lifespans and warranties, stay claims). A duration that is a finding ("adults spend 7
    # hours a day on screens") is lost with them: how-tos and service pages state far more.
    r"|(?<![\d.,])\d+(?:[.,]\d+)*(?:\s?[–-]\s?\d+(?:[.,]\d+)*)?\+?\s?"
    r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?)\b"
    r"|\bdays?\s+\d+(?:\s?[–-]\s?\d+)?\b",
    re.IGNORECASE,
)
_COMPARATIVE = re.compile(
    # ("best practices" is a noun, not a claim)
    r"\b(best(?![\s-]+practi)|worst|largest|biggest|smallest|fastest|slowest|cheapest|highest|"
    r"lowest|leading|most popular|more than|less than|fewer than|better than|worse than|"
    r"faster than|cheaper than|twice as|#1|number one)\b",
    re.IGNORECASE,
)
_SOURCE_CUE = re.compile(
    r"according to|\bsources?:|\bsays\b|\bsaid\b|\b(study|survey|report|analysis|research|data|"
    r"poll|census)\s+(by|from|of)\b|\breported by|\bpublished (by|in)\b|\bcited\b|\bper the\b|"
    r"\(\s*[A-Z][^()]{1,60},\s*(?:19|20)\d{2}\s*\)|\[\d{1,3}\]|\b(?:19|20)\d{2}\s+(study|survey|"
    r"report|analysis)\b"
    # author-year citations: "(Miller 1956)", "(Smith and Jones 2019a)", "Yudkowsky (2008)"
    # (case-sensitive: a capitalised name)
    r"|(?-i:\(\s*[A-Z][\w'’-]+(?:\s+(?:et\s+al\.?|and|&)(?:\s+[A-Z][\w'’-]+)?)?,?\s+(?:1[6-9]|20)\d{2}"
    r"[a-z]?(?:[,;:][^()]{0,40})?\)|\b[A-Z][\w'’-]+(?:\s+et\s+al\.?)?\s+\((?:1[6-9]|20)\d{2}[a-z]?\))"
    # footnote markers (¹, [^3]) and court cases ("Roe v. Wade")
    r"|[¹²³⁴⁵⁶⁷⁸⁹]|\[\^\w+\]|(?-i:\b[A-Z][\w.'-]+\s+v\.?\s+[A-Z][\w.'-]+)"
    # "according to" in Chinese, Japanese, Korean: 据韩联社报道, 援引, 来源：, によると, 에 따르면
    r"|据[^，。,.]{1,30}?(?:报道|报导|消息|称|透露|统计|数据|显示|援引|表示)|援引|(?:来源|出处|來源)[:：]"
    r"|によると|によれば|에\s?따르면|에\s?의하면",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"[“\"]([^”\"]{12,})[”\"]")
_SPEECH = re.compile(
    r"\b(says|said|explains|explained|notes|noted|told|writes|wrote|adds|added|"
    r"according to|recalls|argues)\b",
    re.IGNORECASE,
)
_ENUMERATION = re.compile(r"(?:[^,;]{2,40}[,;]\s+){3,}(?:and|or)?\s*[^,;]{2,40}")
_DIGIT = re.compile(r"\d")
_CAPITALISED = re.compile(r"\s[A-Z][a-z]+")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
SENTENCE_TAGS = PROSE_TAGS | {"tr"}
# Flesch (1948) reading ease and Flesch-Kincaid grade, with textstat's English constants.
FRE_BASE, FRE_SENTENCE, FRE_SYLLABLE = 206.835, 1.015, 84.6
FK_SENTENCE, FK_SYLLABLE, FK_BASE = 0.39, 11.8, -15.59
# textstat's default language: CMUdict, then Pyphen's en_US hyphenation.
TEXTSTAT_LANG = "en_US"


def words(text: str) -> list[str]:
    """The words of `text`, in any script (see _WORD)."""
    return _WORD.findall(text)


def sentences(text: str) -> list[str]:
    parts = _SENTENCE.split(text)
    if not _CJK_STOPS.isdisjoint(text):
        parts = [piece for part in parts for piece in _CJK_SENTENCE.split(part)]
    return [s.strip() for s in parts if s.strip()]


TERM_PREFIX = 6  # terms are compared by their first letters: migrate/migration, design/designer
_CJK_RUN = re.compile(rf"[{_CJK}]{{2,}}")


def terms(text: str) -> set[str]:
    """Content words, crudely stemmed: lower case, no stopwords, no plural `s`, cut to
    TERM_PREFIX letters; in Chinese and Japanese, each pair of adjacent characters (the
    script has no spaces, and one character says little)."""
    found = set()
    for word in words(text.lower()):
        if len(word) >= 3 and word not in STOPWORDS and not word.isdigit():
            # "Auth0" is auth, "MVPs" MVP.
            stem = word.rstrip("0123456789") or word
            stem = stem[:-1] if stem.endswith("s") and len(stem) > 3 else stem
            found.add(stem[:TERM_PREFIX])
    for run in _CJK_RUN.findall(text):
        found.update(run[i : i + 2] for i in range(len(run) - 1))
    return found


def statistics_in(sentence: str) -> int:
    """How many statistics a sentence states, its dates and other numbers that claim nothing
    (_NOT_A_CLAIM) left out."""
    if not _DIGIT.search(sentence):  # every statistic and every date has a digit
        return 0
    return len(_STATISTIC.findall(_NOT_A_CLAIM.sub(" ", _DATE.sub(" ", sentence))))


def _quoted_speech(sentence: str) -> bool:
    return (
        ('"' in sentence or "“" in sentence)
        and bool(_QUOTE.search(sentence))
        and bool(_SPEECH.search(sentence))
    )


def _enumeration(text: str) -> bool:
    # The regex needs three separators; counting them first spares it most paragraphs.
    return text.count(",") + text.count(";") >= 3 and bool(_ENUMERATION.search(text))


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int
    statistics: int


@dataclass
class Block:
    """A text block tokenised once for every signal: its words, and its sentences when it is
    prose or a table row."""

    block: TextBlock
    words: int
    sentences: list[Sentence] = field(default_factory=list)

    @classmethod
    def of(cls, block: TextBlock) -> Block:
        if block.tag not in SENTENCE_TAGS:
            return cls(block, len(words(block.text)))
        found = [Sentence(s, len(words(s)), statistics_in(s)) for s in sentences(block.text)]
        # The sentence split only cuts at whitespace, so no word is lost or split.
        return cls(block, sum(s.words for s in found), found)

    @property
    def tag(self) -> str:
        return self.block.tag

    @property
    def text(self) -> str:
        return self.block.text


def _is_question(text: str) -> bool:
    return text.rstrip().endswith("?") or bool(QUESTION_WORDS.match(text.strip()))


def _metadata(block: Block) -> bool:
    """A byline, date or "label: value" line ("原始标题：…"), not prose."""
    return bool(BYLINE.search(block.text[:60]))


def _answer_words(block: Block) -> float:
    """A block's length in English-like words: a Chinese or Japanese character, counted as a
    word elsewhere, is about half of one."""
    return block.words - len(_CJK_CHAR.findall(block.text)) / 2


_CJK_CHAR = re.compile(rf"[{_CJK}]")


def _answer_like(block: Block, topic: set[str], least: float = ANSWER_MIN_WORDS) -> bool:
    """A concise, declarative block on the topic; `least` words at least (fewer for the
    opening paragraph and a summary, which may be a one-line tagline)."""
    return (
        least <= _answer_words(block) <= ANSWER_MAX_WORDS
        and not block.text.rstrip().endswith("?")
        and not FILLER.match(block.text)
        and (not topic or bool(terms(block.text) & topic))
    )


def _summary_label(block: Block) -> bool:
    return block.words <= SUMMARY_LABEL_WORDS and bool(SUMMARY.match(block.text))


def answer_first(page: PageModel, blocks: list[Block]) -> AnswerFirst:
    found = AnswerFirst(applicable=True, reason=None)
    h1_index = next((i for i, b in enumerate(blocks) if b.tag == "h1"), -1)
    h1 = (
        blocks[h1_index].text
        if h1_index >= 0
        else next((h.text for h in page.headings if h.level == 1 and h.text), page.title or "")
    )
    # The title says the topic too when the H1 is generic ("Overview", "Introduction").
    topic = terms(h1) | terms(page.title or "")
    after = [b for b in blocks[h1_index + 1 :] if b.tag in PARAGRAPH_TAGS]
    candidates = [
        b for b in after if b.words >= 5 and (SUMMARY.match(b.text) or not _metadata(b))
    ]
    # A short page is judged only when all it says is questions: a stub whose one paragraph
    # asks what the page was to answer ("How to partially apply the methodology?").
    if not candidates or (
        sum(b.words for b in blocks) < 50
        and not all(b.text.rstrip().endswith("?") for b in after)
    ):
        return AnswerFirst(applicable=False, reason="too little text to judge")
    first = candidates[0].text
    found.first_paragraph = first if len(first) <= 300 else first[:299] + "…"
    found.words = candidates[0].words
    found.declarative = not first.rstrip().endswith("?")
    found.filler = bool(FILLER.match(first))
    found.topical = len(terms(first) & topic) / min(len(topic), 5) if topic else 0.0
    found.topical = min(found.topical, 1.0)
    before, summarised = 0, False
    first_block = candidates[0]
    for block in blocks[h1_index + 1 :]:
        if _summary_label(block):
            summarised = True
            continue
        if block.tag not in PROSE_TAGS:
            continue
        short = block is first_block or summarised or bool(SUMMARY.match(block.text))
        # What a "Quick Summary" heading introduces is the page's answer by its author's word,
        # in the author's terms (a "Food Assistance" case study summarised as SNAP budgeting).
        on_topic = set() if summarised else topic
        if _answer_like(block, on_topic, OPENING_MIN_WORDS if short else ANSWER_MIN_WORDS):
            found.words_before_answer = before
            break
        summarised = False
        if SUMMARY.match(block.text) or not _metadata(block):
            # Words as an English reader counts them: a CJK character is half of one.
            before += round(_answer_words(block))
    found.summary_block = any(SUMMARY.match(b.text) for b in blocks[: h1_index + 9])
    for i, block in enumerate(blocks):
        if block.tag in ("h2", "h3") and _is_question(block.text):
            found.question_headings += 1
            reply = next((b for b in blocks[i + 1 :] if b.tag in PROSE_TAGS), None)
            opening = reply.sentences[0] if reply and reply.sentences else Sentence("", 0, 0)
            direct = (
                opening.text
                and opening.words <= 40
                and not opening.text.endswith("?")
                and not FILLER.match(opening.text)
                and (
                    terms(opening.text) & terms(block.text)
                    or re.match(r"^(yes|no)\b", opening.text, re.I)
                )
            )
            if direct:
                found.answered += 1
            elif len(found.unanswered_examples) < MAX_EXAMPLES:
                found.unanswered_examples.append(block.text)
    return found


def attribution(blocks: list[Block]) -> Attribution:
    found = Attribution()
    unattributed: list[tuple[int, str]] = []
    found.references_section = any(
        (b.tag in HEADINGS and bool(REFERENCES.match(b.text)))
        or (b.block.external_links > 0 and bool(SOURCE_LINE.match(b.text)))
        for b in blocks
    )
    lead_in = False  # the block before: a linked lead-in to a quotation ("via Variety:")
    for block in blocks:
        if block.tag not in SENTENCE_TAGS:
            continue
        found.words += block.words
        found.outbound_citations += block.block.external_links
        quoted_block = block.block.quote
        if quoted_block:
            found.quotations += 1
        sourced_block = (
            block.block.external_links > 0 or block.block.cites > 0 or (quoted_block and lead_in)
        )
        # A quotation stays sourced by its lead-in until a block that is no quotation.
        lead_in = (quoted_block and lead_in) or (
            not quoted_block and block.block.external_links > 0 and block.text.endswith(":")
        )
        for sentence in block.sentences:
            if not quoted_block and _quoted_speech(sentence.text):
                found.quotations += 1
            statistic = sentence.statistics > 0
            if not (statistic or _COMPARATIVE.search(sentence.text)):
                continue
            found.claims += 1
            found.statistics += statistic
            if sourced_block or _SOURCE_CUE.search(sentence.text):
                found.attributed += 1
            else:
                weight = sentence.statistics * 100 + len(sentence.text) // 10
                unattributed.append((weight, sentence.text))
    unattributed.sort(key=lambda pair: -pair[0])
    found.unattributed_examples = [
        s if len(s) <= 240 else s[:239] + "…" for _, s in unattributed[:MAX_EXAMPLES]
    ]
    return found


@lru_cache(maxsize=1 << 16)
def _syllables(word: str) -> int:
    return count_syllables(word, TEXTSTAT_LANG)


def flesch(text: str) -> tuple[float, float]:
    """Flesch reading ease and Flesch-Kincaid grade of English text, equal to textstat's: its
    words, sentences and syllables (CMUdict, then Pyphen), a word's syllables counted once per
    process instead of once per occurrence."""
    tokens = list_words(text, lowercase=True)
    count, sentence_count = len(tokens), count_sentences(text)
    if not count or not sentence_count:
        return 0.0, 0.0
    per_sentence = count / sentence_count
    per_word = sum(_syllables(w) for w in tokens) / count
    return (
        FRE_BASE - FRE_SENTENCE * per_sentence - FRE_SYLLABLE * per_word,
        FK_SENTENCE * per_sentence + FK_SYLLABLE * per_word + FK_BASE,
    )


def _long_share(paragraphs: list[int]) -> float:
    if not paragraphs:
        return 0.0
    return round(sum(n > LONG_PARAGRAPH_WORDS for n in paragraphs) / len(paragraphs), 2)


_ENDS_SENTENCE = re.compile(r"[.!?:;…]\W*$")


# A file path or URL in a block ("/docs/guides/with-astro.mdx", "https://…").
_PATH = re.compile(
    r"(?:^|\s)(?:https?://|\.{0,2}/)[\w.-]+/[\w./-]+"
    r"|\b[\w-]+\.(?:mdx?|html?|json|ya?ml|py|js|ts|txt)\b"
)


# Letters by script, for the readability formulas, which are English's: the page's `lang` says
# the language, and the letters overrule a template's default `lang="en"` (a Korean column and
# trilingual pages were given Flesch scores).
SCRIPTS = (
    ("Korean", re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")),
    ("Japanese", re.compile(r"[\u3040-\u30ff]")),
    ("Chinese", re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")),
    ("Cyrillic", re.compile(r"[\u0400-\u04ff]")),
    ("Greek", re.compile(r"[\u0370-\u03ff]")),
    ("Arabic", re.compile(r"[\u0600-\u06ff\u0750-\u077f]")),
    ("Hebrew", re.compile(r"[\u0590-\u05ff]")),
    ("Thai", re.compile(r"[\u0e00-\u0e7f]")),
    ("Devanagari", re.compile(r"[\u0900-\u097f]")),
)
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_NON_LATIN = re.compile("|".join(pattern.pattern for _, pattern in SCRIPTS))
SCRIPT_SAMPLE = 20_000


def non_latin_script(text: str) -> str | None:
    """The script most of `text`'s letters are written in when it is not Latin (Japanese when
    kana are among the CJK characters), else None; the first SCRIPT_SAMPLE characters."""
    sample = text[:SCRIPT_SAMPLE]
    if sample.isascii():
        return None
    latin = len(_LATIN.findall(sample))
    if len(_NON_LATIN.findall(sample)) <= latin:  # one pass settles most pages
        return None
    counts = {name: len(pattern.findall(sample)) for name, pattern in SCRIPTS}
    if counts["Japanese"]:
        counts["Japanese"] += counts.pop("Chinese")
    name, most = max(counts.items(), key=lambda item: item[1])
    return name if most > latin else None


def readability(page: PageModel, blocks: list[Block]) -> Readability:
    prose = [b for b in blocks if b.tag in PROSE_TAGS]
    count = sum(b.words for b in prose)
    lang = (page.lang or "en").lower()
    if not lang.startswith("en"):
        return Readability(applicable=False, reason=f"language '{page.lang}' is not supported")
    script = non_latin_script(" ".join(b.text for b in prose))
    if script is not None:
        return Readability(applicable=False, reason=f"not applicable: {script}")
    if count < MIN_WORDS:
        return Readability(applicable=False, reason=f"only {count} words of prose")
    if sum(1 for b in prose if b.tag == "li" and _PATH.search(b.text)) * 2 >= len(prose):
        # Flesch measures sentences: a list of file paths and "Create file" links scored 0.0.
        return Readability(applicable=False, reason="the text is mostly a list of file paths")
    found_sentences = [s for b in prose for s in b.sentences]
    if not any(re.search(r"[.!?]", b.text) for b in prose) or len(found_sentences) < 3:
        return Readability(applicable=False, reason="no sentence punctuation to measure")
    paragraphs = [b.words for b in prose if b.tag != "li"]
    fact_bearing = [
        s
        for s in found_sentences
        if 8 <= s.words <= 35 and (s.statistics or _CAPITALISED.search(s.text))
    ]
    # Each block ends a sentence: list items and captions without a final stop were read as
    # one long sentence with the next block (Flesch 0.0 on a page of short bullets).
    text = "\n".join(b.text if _ENDS_SENTENCE.search(b.text) else f"{b.text}." for b in prose)
    ease, grade = flesch(text)
    return Readability(
        applicable=True,
        reason=None,
        flesch_reading_ease=round(max(0.0, min(100.0, ease)), 1),
        grade=round(max(0.0, min(20.0, grade)), 1),
        sentences=len(found_sentences),
        avg_sentence_words=round(count / len(found_sentences), 1),
        avg_paragraph_words=round(sum(paragraphs) / len(paragraphs), 1) if paragraphs else 0.0,
        long_paragraph_share=_long_share(paragraphs),
        fact_density=round(len(fact_bearing) / len(found_sentences), 2),
    )


def structure(page: PageModel, blocks: list[Block]) -> Structure:
    prose = [b for b in blocks if b.tag in PROSE_TAGS]
    count = sum(b.words for b in blocks)
    levels = [h.level for h in page.headings]
    # The outline is judged on any page that has one (two headings or more), however short:
    # a 95-word landing page skips levels as much as a 105-word one; and on a short page whose
    # one heading is not an H1 (a promotion titled by an H2 has no H1).
    if count < MIN_WORDS and len(levels) < 2 and (not levels or levels == [1]):
        return Structure(applicable=False, reason=f"only {count} words", words=count)
    paragraphs = [b.words for b in prose if b.tag != "li"]
    return Structure(
        applicable=True,
        reason=None,
        words=count,
        h1_count=levels.count(1),
        skipped_levels=sum(1 for a, b in itertools.pairwise(levels) if b > a + 1),
        subheadings=sum(1 for level in levels if level in (2, 3)),
        question_headings=sum(
            1 for h in page.headings if h.level in (2, 3) and _is_question(h.text)
        ),
        list_items=sum(1 for b in blocks if b.tag in ("li", "dt", "dd")),
        table_rows=sum(1 for b in blocks if b.tag == "tr"),
        prose_enumerations=sum(
            1 for b in prose if b.tag == "p" and b.words < 80 and _enumeration(b.text)
        ),
        long_paragraph_share=_long_share(paragraphs),
    )


def content_signals(page: PageModel) -> ContentSignals:
    blocks = [Block.of(b) for b in page.text_blocks]
    return ContentSignals(
        answer_first(page, blocks),
        attribution(blocks),
        readability(page, blocks),
        structure(page, blocks),
    )
