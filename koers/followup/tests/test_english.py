"""Follow-up texts exist in English."""

from django.utils import translation

from koers.followup import rhythm


def test_rhythm_in_english():
    with translation.override("en"):
        suggestion = rhythm.suggest_rhythm(rhythm.CHAIN_CARE, rhythm.LESS_OFTEN)
        assert suggestion.label == "every 6 months"
        assert (
            suggestion.reason_texts()[0]
            == "Chain care: more support is needed. Koers then suggests every 3 months by default."
        )
        assert translation.gettext("Hoe vaak? Samen afspreken") == "How often? Agree together"
