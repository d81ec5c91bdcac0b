import pytest

from conflictwatch.extract.codes import UnknownEventType, codes_for
from conflictwatch.extract.model import EVENT_TYPES


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_every_type_has_codes(event_type):
    c = codes_for(event_type)
    assert c["cameo"].isdigit() and len(c["cameo"]) in (3, 4)
    assert c["plover"].isupper()


def test_known_codes():
    assert codes_for("talks_collapsed")["cameo"] == "164"
    assert codes_for("talks_resumed") == {"cameo": "046", "plover": "CONSULT"}
    assert codes_for("talks_planned")["cameo"] == "036"
    air = codes_for("attack", "air_strike")
    assert (air["cameo"], air["plover"], air["plover_mode"]) == ("195", "ASSAULT", "aerial")
    assert codes_for("civilian_deaths")["recipient"] == "civilians"


def test_unknown_subtype_falls_back_and_unknown_type_raises():
    assert codes_for("attack", "catapult") == codes_for("attack")
    with pytest.raises(UnknownEventType):
        codes_for("picnic")


def test_result_is_a_fresh_dict():
    codes_for("attack")["cameo"] = "999"
    assert codes_for("attack")["cameo"] == "190"
