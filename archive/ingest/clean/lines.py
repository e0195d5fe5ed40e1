"""Line helpers shared by the clean stage: word counts, bare lines, comparison keys."""

import functools
import re

from archive.text import strip_accents

_TERMINAL = re.compile(r"[.!?…:;”\"’')\]]\s*$")
_SENTENCE_END = re.compile(r"[.!?…][”\"’')\]]*\s*$")
_WORD = re.compile(r"[\w’'-]+")


@functools.lru_cache(maxsize=4096)
def _key(line: str) -> str:
    """Comparison key of a headline: letters and digits only, case and accents folded."""
    return "".join(ch for ch in strip_accents(line).casefold() if ch.isalnum())


def word_count(line: str) -> int:
    return len(_WORD.findall(line))


def _bare(line: str) -> str:
    return line.strip().strip("|•·»«").strip()
