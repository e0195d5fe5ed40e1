"""The draft of a statement: what extraction hands to the save stage."""

from dataclasses import dataclass, field

from archive.ingest.extract.mentions import Speaker


@dataclass(kw_only=True)
class Draft:
    """One extracted statement, not yet saved; built with keyword arguments only."""

    start: int
    end: int
    text: str
    kind: str
    speaker: Speaker
    medium: str = ""
    said_to: str = ""
    date: object = None
    paragraph: int = 0
    anchor: int = 0
    topics: list = field(default_factory=list)
