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
