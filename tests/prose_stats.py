"""The prose statistics of the built book, chapter by chapter, as a student meets the text.

A chapter's prose is the paragraphs and list items of its page's article, exercises and
solutions included. Code, outputs, tables, captions, navigation and math are left out: MathJax's
inline math is marked as math too, and only a bare ``\\( ... \\)`` left in the text counts, as
one word. A sentence ends at ``.``, ``!`` or ``?`` followed by a space; the dots of
abbreviations (e.g., i.e., et al.) end none, and a piece of fewer than three words is not a
sentence. ``make prose`` prints the table of the built ``_build/html``::

    python -m tests.prose_stats [HTML_DIR]
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from tests.book import chapters

LONG = 40
"""A sentence of more words than this is too long for a student to follow in one reading."""
MOST_MEAN = 20
"""The most words a chapter's sentences may average."""
NOT_PROSE = ("api", "references")
"""The pages that are generated lists, not prose: the API reference and the bibliography."""

_SKIPPED_TAGS = frozenset(
    ["pre", "table", "figcaption", "script", "style", "nav", "footer", "header", "aside"]
)
_SKIPPED_CLASSES = frozenset(("cell_output", "math", "headerlink"))
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
_INLINE_MATH = re.compile(r"\\\(.*?\\\)", re.DOTALL)
_ABBREVIATION = re.compile(r"\b(e\.g|i\.e|cf|et al|Fig|Eq|vs|etc)\.")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class _Blocks(HTMLParser):
    """Collects the text of the article's paragraphs and list items, outside code, outputs and
    math; a paragraph inside a list item belongs to the item."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, bool, bool]] = []  # (tag, skipped, starts the article)
        self.block: list[str] | None = None
        self.block_depth = 0
        self.blocks: list[str] = []

    def skipping(self) -> bool:
        return any(skipped for _, skipped, _ in self.open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        skipped = tag in _SKIPPED_TAGS or bool(classes & _SKIPPED_CLASSES)
        self.open.append((tag, skipped, tag == "article" or "bd-article" in classes))
        in_article = any(article for _, _, article in self.open)
        if tag in ("p", "li") and self.block is None and in_article and not self.skipping():
            self.block, self.block_depth = [], len(self.open)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or all(name != tag for name, _, _ in self.open):
            return
        while self.open:
            name, _, _ = self.open.pop()
            if self.block is not None and len(self.open) < self.block_depth:
                self.blocks.append("".join(self.block))
                self.block = None
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.block is not None and not self.skipping():
            self.block.append(data)


def prose_blocks(page: str) -> list[str]:
    """Return the text of each paragraph and list item of a page's article.

    Examples:
        >>> page = '<article><p>One <code>conv3-64</code> layer.</p><pre>code</pre><table><tr><td>x</td></tr></table>'
        >>> prose_blocks(page + '<ul><li>An item, <div class="cell_output">42</div>kept.</li></ul></article><p>Out.</p>')
        ['One conv3-64 layer.', 'An item, kept.']
    """
    parser = _Blocks()
    parser.feed(page)
    return parser.blocks


def sentences(block: str) -> list[str]:
    """Return the sentences of a paragraph, inline math counted as one word.

    Examples:
        >>> sentences(r"It has \\(k \\cdot k\\) weights, e.g. nine. Yes. It ends here!")
        ['It has X weights, e.g nine.', 'It ends here!']
    """
    text = _INLINE_MATH.sub(" X ", block)
    text = re.sub(r"\s+", " ", html.unescape(text)).strip()
    text = _ABBREVIATION.sub(r"\1", text)
    return [part for part in _SENTENCE_END.split(text) if len(part.split()) >= 3]


@dataclass(frozen=True)
class ChapterStats:
    """The sentences of one chapter's prose and what they add up to.

    Examples:
        >>> stats = ChapterStats("intro", ("One two three.", "Four five six seven."))
        >>> stats.words, stats.mean, stats.longest, stats.long_sentences()
        (7, 3.5, 4, [])
    """

    name: str
    sentences: tuple[str, ...]

    @property
    def lengths(self) -> list[int]:
        """The words of each sentence."""
        return [len(sentence.split()) for sentence in self.sentences]

    @property
    def words(self) -> int:
        """The words of all the sentences."""
        return sum(self.lengths)

    @property
    def mean(self) -> float:
        """The words a sentence averages."""
        return self.words / len(self.sentences)

    @property
    def longest(self) -> int:
        """The words of the longest sentence."""
        return max(self.lengths)

    def long_sentences(self, longer_than: int = LONG) -> list[str]:
        """Return the sentences of more than ``longer_than`` words, in order."""
        return [sentence for sentence in self.sentences if len(sentence.split()) > longer_than]


def chapter_stats(html_dir: Path) -> list[ChapterStats]:
    """Return the statistics of each chapter of the table of contents that has a page in
    ``html_dir`` and prose on it, in the table's order; the API reference and the bibliography
    are left out.

    Examples:
        >>> chapter_stats(Path("no-such-build"))
        []
    """
    found = []
    for chapter in chapters():
        page = html_dir / f"{chapter.stem}.html"
        if chapter.stem in NOT_PROSE or not page.exists():
            continue
        blocks = prose_blocks(page.read_text(encoding="utf-8"))
        found.append(ChapterStats(chapter.stem, tuple(s for b in blocks for s in sentences(b))))
    return [stats for stats in found if stats.sentences]


def table(stats: list[ChapterStats]) -> str:
    """Return one line per chapter (words, sentences, mean, sentences over :data:`LONG` words,
    longest) and one for the whole book.

    Examples:
        >>> print(table([ChapterStats("intro", ("One two three.", "Four five six seven."))]))
        chapter             words  sent.  mean  >40  longest
        intro                   7      2   3.5    0  4
        all                     7      2   3.5    0  4
    """
    lines = [f"{'chapter':18} {'words':>6} {'sent.':>6} {'mean':>5} {'>' + str(LONG):>4}  longest"]
    whole = ChapterStats("all", tuple(s for chapter in stats for s in chapter.sentences))
    for chapter in [*stats, whole] if stats else []:
        lines.append(
            f"{chapter.name:18} {chapter.words:6d} {len(chapter.sentences):6d} "
            f"{chapter.mean:5.1f} {len(chapter.long_sentences()):4d}  {chapter.longest}"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Print the table of the book built in ``argv[0]`` (default ``_build/html``); return 1 where
    there is no chapter to count."""
    html_dir = Path(argv[0] if argv else "_build/html")
    stats = chapter_stats(html_dir)
    if not stats:
        print(f"no chapter pages in {html_dir}: build the book first (make book)", file=sys.stderr)
        return 1
    print(table(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
