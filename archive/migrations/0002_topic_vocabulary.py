"""The controlled vocabulary of topics, present in every database."""

from django.db import migrations

TOPICS = [
    ("Ceasefire", "ceasefire", "Calls for, offers of and conditions on a ceasefire, temporary or permanent.",
     "ceasefire\ncease-fire\ncease fire\nstop the fire\ntruce\nceasing attacks"),
    ("Troop withdrawal", "troop-withdrawal", "The withdrawal of US and NATO forces from Afghanistan and its timetable.",
     "withdrawal\nwithdraw\nforeign troops\nforeign forces\nus troops\nu.s. troops\npull out\npulls out\nleave afghanistan\noccupation\noccupants"),
    ("Prisoner release", "prisoner-release", "Exchanges and releases of Taliban and government prisoners.",
     "prisoner\nprisoners\nrelease of\ndetainees"),
    ("Violence reduction", "violence-reduction", "Reductions in violence short of a ceasefire, attacks and their escalation.",
     "reduce violence\nreducing violence\nreduction in violence\nreduction of violence\ndecrease in violence\nminimizing violence\nviolence\nattacks\nescalation"),
    ("Intra-Afghan talks", "intra-afghan-talks", "Negotiations between the Taliban and the Afghan government and other Afghan parties.",
     "intra-afghan\ninter-afghan\nbetween afghans\namong afghans\nafghan government negotiators\ndialogue between afghans\nnegotiating table"),
    ("Al-Qaeda and terrorism ties", "al-qaeda-and-terrorism", "Guarantees that Afghanistan will not host al-Qaeda, ISIS or other groups.",
     "al-qaeda\nal qaeda\nterrorism\nterrorist\nisis\nsafe haven\njihadist\nextremists"),
    ("Interim government", "interim-government", "Caretaker, transitional or interim government proposals and Ghani's resignation.",
     "interim government\ncaretaker government\ntransitional government\ntransition to a new government\nstep down\nresign"),
    ("International recognition", "international-recognition", "Recognition of a future government, of the Islamic Emirate, by other states.",
     "recognition\nrecognized\nrecognize\nlegitimacy\nislamic emirate"),
    ("Sanctions", "sanctions", "UN and US sanctions, blacklists and economic pressure.",
     "sanctions\nblacklist\nblacklists\neconomic support\neconomic pressure"),
    ("Power sharing", "power-sharing", "Sharing power and the future political system and constitution.",
     "power-sharing\npower sharing\nsharing power\npolitical settlement\npolitical system\nconstitution\nrepublic\nshare of power\nlion's share"),
    ("US–Taliban agreement", "us-taliban-agreement", "The Doha agreement of February 2020 between the United States and the Taliban and its implementation.",
     "us-taliban agreement\nu.s.-taliban deal\nus-taliban peace accord\npeace deal\ndoha agreement\nagreement between washington and the taliban\nsigning of the agreement"),
    ("Regional diplomacy", "regional-diplomacy", "The roles of Pakistan, Qatar, Russia, China, Iran and other states of the region.",
     "pakistan\nqatar\nrussia\nchina\niran\nregion\nneighboring countries\nislamabad\nmediator"),
]


def create_topics(apps, schema_editor):
    Topic = apps.get_model("archive", "Topic")
    for name, slug, description, keywords in TOPICS:
        Topic.objects.update_or_create(slug=slug, defaults={"name": name, "description": description, "keywords": keywords})


def remove_topics(apps, schema_editor):
    apps.get_model("archive", "Topic").objects.filter(slug__in=[t[1] for t in TOPICS]).delete()


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]
    operations = [migrations.RunPython(create_topics, remove_topics)]
