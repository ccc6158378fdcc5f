"""The one field include (includes/field.html) with its options: radios side by side, as a scale."""

from __future__ import annotations

from django import forms
from django.template import Context, Template

from tests.test_shared_templates import Tree, reference_problems


class MoodForm(forms.Form):
    mood = forms.ChoiceField(
        label="Hoe gaat het?",
        choices=[(str(n), str(n)) for n in range(3)],
        widget=forms.RadioSelect,
        help_text="0 is slecht, 2 is goed.",
    )
    note = forms.CharField(label="Toelichting", required=False)


def _render(form, options: str = "side_by_side=False") -> str:
    source = '{% for field in form %}{% include "includes/field.html" with field=field ' + options + " %}{% endfor %}"
    return Template(source).render(Context({"form": form}))


def test_side_by_side_radios_are_a_fieldset_of_labelled_options_described_by_help_and_error():
    form = MoodForm(data={"mood": "9"})
    assert not form.is_valid()
    html = _render(form, "side_by_side=True")
    assert reference_problems(html) == []
    tree = Tree(html)
    (group,) = tree.all("fieldset")
    assert group.attrs["class"] == "field radios has-error"
    assert group.children[0].tag == "legend" and group.children[0].all_text().strip() == "Hoe gaat het?"
    assert group.attrs["aria-describedby"] == "id_mood_helptext id_mood_error"
    options = tree.all("span", class_="option")
    assert len(options) == 3
    for n, option in enumerate(options):
        radio, label = (e for e in option.children if e.tag in ("input", "label"))
        assert radio.attrs["id"] == f"id_mood_{n}" and label.attrs["for"] == f"id_mood_{n}"
    # Other fields are rendered as without the option.
    note = tree.by_id("id_note")
    assert not [a for a in note.ancestors() if a.tag == "fieldset"]
    assert "niet verplicht" in note.parent.all_text()


def test_a_scale_is_marked_and_without_the_option_radios_are_django_s_own_list():
    html = _render(MoodForm(), "side_by_side=True scale=True")
    (group,) = Tree(html).all("fieldset")
    assert group.attrs["class"] == "field radios scale"
    assert group.attrs["aria-describedby"] == "id_mood_helptext"
    plain = Tree(_render(MoodForm()))
    (group,) = plain.all("fieldset")
    assert group.attrs["class"] == "field"
    assert not plain.all("span", class_="option")
