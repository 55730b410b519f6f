"""Every date or date-and-time a person types is refused outside 1900-2100 with the same plain
message, in every form of ours (a year 9999 stored once breaks calendars and reminders for good)."""

import pytest
from django import forms

from accounts.inputs import DATE_OUT_OF_RANGE, DateField, DateTimeField
from tests.config.test_fuzz_forms import FORMS

pytestmark = pytest.mark.django_db


def our_date_fields():
    seen = {}
    for posts in FORMS.values():
        for post in posts:
            for form_class in post.forms:
                for name, field in form_class.base_fields.items():
                    if isinstance(field, forms.DateField | forms.DateTimeField):
                        seen[f"{form_class.__module__}.{form_class.__name__}.{name}"] = field
    return seen


def test_every_typed_date_is_one_of_ours():
    fields = our_date_fields()
    assert len(fields) > 10
    plain = [
        name for name, field in fields.items() if not isinstance(field, DateField | DateTimeField)
    ]
    assert plain == [], "use accounts.inputs.DateField / DateTimeField for these"


@pytest.mark.parametrize("raw", ["9999-12-31", "1066-10-14"])
def test_a_date_out_of_range_gets_the_plain_message(raw):
    for field in (DateField(), DateTimeField(input_formats=["%Y-%m-%d"])):
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(raw)
        assert refused.value.messages == [str(DATE_OUT_OF_RANGE)]
