"""A deterministic generator of synthetic scraped articles, shaped like the seeds: chrome, curly and
straight quotes, speakers named before and after their words, anonymous sources and reported claims."""

import random
from pathlib import Path

PEOPLE = [
    ("Zalmay Khalilzad", "US special envoy"),
    ("Zabihullah Mujahid", "Taliban spokesman"),
    ("Suhail Shaheen", "Taliban spokesman"),
    ("Abdullah Abdullah", "head of the High Council for National Reconciliation"),
    ("Ashraf Ghani", "President"),
    ("Mike Pompeo", "Secretary of State"),
    ("Ned Price", "State Department spokesman"),
    ("Nader Nadery", "government negotiator"),
    ("Fatima Gailani", "government negotiator"),
    ("Mutlaq al-Qahtani", "Qatari special envoy"),
]
ANONYMOUS = ["a senior Afghan official", "a Western diplomat in Doha", "a person familiar with the talks"]
PLACES = ["Doha, Qatar", "KABUL", "WASHINGTON", "ISLAMABAD", "Moscow"]
ISSUES = [
    "a permanent ceasefire",
    "the release of prisoners",
    "the withdrawal of foreign troops",
    "a reduction in violence",
    "an interim government",
    "sanctions on Taliban leaders",
    "power sharing in Kabul",
]
CHROME_TOP = ["Must read", "- Advertisement -spot_img", "Latest news"]
CHROME_BOTTOM = [
    "Source link",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
]


def article(n: int, rng: random.Random) -> str:
    """The text of synthetic article number n."""
    issue, other = rng.sample(ISSUES, 2)
    place = rng.choice(PLACES)
    title = f"Round {n} of the talks turns on {issue}"
    lines = [f"{title} | Afghan Peace Monitor", rng.choice(CHROME_TOP)]
    lines.append(
        f"{place} – Negotiators met for round {n} of the peace talks on Monday, with {issue} and {other} on the agenda."
    )
    for k in range(rng.randint(4, 7)):
        name, role = rng.choice(PEOPLE)
        anon = rng.choice(ANONYMOUS)
        form = rng.randrange(6)
        if form == 0:
            lines.append(
                f"“We want {issue} before round {n + k} ends, and we will not give up,” {name} told reporters."
            )
        elif form == 1:
            lines.append(f'{name} said: "The question of {other} is now on the table for meeting {k} of round {n}."')
        elif form == 2:
            lines.append(
                f"{anon.capitalize()} said that the delegations had made progress on {issue} in meeting {k} of round {n}."
            )
        elif form == 3:
            lines.append(f"{name}, the {role}, said the talks on {other} would resume after meeting {k} of round {n}.")
            lines.append(f"“There is no other way than dialogue on {issue},” he added.")
        elif form == 4:
            lines.append(f"Diplomats describe the {issue} file as a “test case” for round {n}, meeting {k}.")
        else:
            lines.append(f"“The Taliban must show their commitment to {other} in round {n},” said {anon}.")
    lines.extend(["READ Also  Other news of the day", "#Afghanistan #Peace #Doha", *CHROME_BOTTOM])
    return "\n\n".join(lines) + "\n"


def write_articles(folder: Path, count: int = 1000, seed: int = 2020) -> list[Path]:
    """Write `count` synthetic articles into folder; the same seed gives the same files."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"synthetic_{n:05d}.txt"
        path.write_text(article(n, rng), encoding="utf-8")
        paths.append(path)
    return paths


DENSE_SPEAKERS = [name for name, _ in PEOPLE] + ANONYMOUS + ["he", "she", "the spokesman", "the envoy"]
DENSE_WORDS = (
    "peace talks ceasefire prisoners troops agenda violence Doha Kabul withdrawal council negotiators government "
    "movement agreement provinces elders guarantees sanctions delegation round schedule"
).split()


def quote_dense_text(size: int, seed: int = 0, shape: str = "paragraphs") -> str:
    """About `size` characters of quotations and reported speech, every sentence different.

    shape: "paragraphs" (one statement per paragraph), "sentences" (one paragraph of many sentences) or
    "run-on" (one paragraph, one endless sentence joined by commas): the worst cases of a scraped page.
    """
    rng = random.Random(seed)
    joiner = {"paragraphs": "\n\n", "sentences": ". ", "run-on": ", "}[shape]

    def words(n):
        return " ".join(rng.choice(DENSE_WORDS) for _ in range(n)) + f" {rng.randrange(10_000)}"

    parts, total = [], 0
    while total < size:
        who = rng.choice(DENSE_SPEAKERS)
        form = rng.randrange(4)
        if form == 0:
            part = f"“We want {words(6)},” {who} said, “and {words(5)}”"
        elif form == 1:
            part = f"{who.capitalize()} said that {words(8)}, adding “{words(4)}”"
        elif form == 2:
            part = f"“{words(7)}” {who} told reporters, “{words(3)}”"
        else:
            part = f"According to {who}, {words(9)}"
        parts.append(part)
        total += len(part) + len(joiner)
    return joiner.join(parts) + ".\n"


def quoted_lines_text(lines: int, seed: int = 0) -> str:
    """A text of many short quoted lines, each its own paragraph: a list or a dump, not an article."""
    rng = random.Random(seed)
    body = "\n".join(f"“The {rng.choice(DENSE_WORDS)} come first, {n},” he said." for n in range(lines))
    return f"What was said at the talks\n\n{body}\n"
