"""Topics stage: suggest topics from the controlled vocabulary by their keywords, on word boundaries."""

import re

from archive.models import Topic


class TopicMatcher:
    """Topic.keywords compiled once per import."""

    def __init__(self, topics=None):
        topics = list(Topic.objects.all()) if topics is None else list(topics)
        self.patterns = []
        for topic in topics:
            phrases = sorted({p.casefold() for p in topic.keyword_list}, key=len, reverse=True)
            if phrases:
                alternatives = "|".join(re.escape(p).replace(r"\ ", r"\s+").replace("'", "['’]") for p in phrases)
                self.patterns.append((topic, re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.I)))

    def count(self, text: str) -> dict:
        return {topic: len(pattern.findall(text)) for topic, pattern in self.patterns if pattern.search(text)}

    def for_statement(self, text: str) -> list:
        return [topic for topic in self.count(text)]

    def for_article(self, body: str, statement_topics=()) -> list:
        """Topics the article dwells on (two mentions or more) and every topic of its statements."""
        chosen = {topic for topic, n in self.count(body).items() if n >= 2}
        chosen.update(statement_topics)
        return sorted(chosen, key=lambda t: t.name)
