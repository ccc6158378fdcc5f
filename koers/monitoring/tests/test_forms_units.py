"""The unit choice in forms: one entry per conversion, the canonical unit first."""

from koers.monitoring import catalogue
from koers.monitoring.forms.fields import input_units


def test_one_choice_per_conversion_with_the_canonical_unit_first():
    weight = input_units(catalogue.spec("weight"))
    assert [code for code, _ in weight] == ["kg", "g", "[lb_av]"]  # lb and lbs are import spellings
    assert "0,454 kg" in weight[2][1]  # a Dutch 'pond' is 500 g: say which pound
    assert [code for code, _ in input_units(catalogue.spec("systolic_bp"))] == ["mm[Hg]"]
    assert [code for code, _ in input_units(catalogue.spec("glucose"))] == ["mmol/L", "mg/dL"]
    # Every spelling is still accepted where values come in (imports, the services).
    assert {"lb", "lbs", "[lb_av]"} <= set(catalogue.accepted_units("weight"))
