"""Enrolment validation: hospital numbers unique whatever their case, dates of birth checked,
phone numbers in E.164.

Data first checked, then the schema, then the data changed: on PostgreSQL a table cannot be
altered after rows of it were updated in the same transaction ("pending trigger events").
"""

import django.db.models.functions.text
import phonenumbers
from django.db import migrations, models

import reporting.models.people

# The phone fields of 0005 and 0001 (a care-team membership's SMS number).
PHONE_FIELDS = [
    ("patient", "phone"),
    ("caregiverlink", "phone"),
    ("invitation", "phone"),
    ("careteammembership", "phone"),
]


def _e164(value):
    """The rule of reporting.phones when this was written, frozen here: E.164 for a valid
    number read for Vietnam, None for anything else (left as it is)."""
    value = (value or "").strip()
    if not value or any(char.isalpha() for char in value):
        return None
    try:
        number = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def refuse_hospital_numbers_differing_only_in_case(apps, schema_editor):
    """The new constraint cannot be created over two records of one hospital number: stop
    with the ids of the records to correct (no numbers in the output), changing nothing."""
    Patient = apps.get_model("reporting", "Patient")
    first_with = {}
    clashes = []
    for pk, number in Patient.objects.order_by("pk").values_list("pk", "hospital_number"):
        key = number.strip().lower()
        if key in first_with:
            clashes.append(f"{first_with[key]} and {pk}")
        else:
            first_with[key] = pk
    if clashes:
        raise RuntimeError(
            "Patients with the same hospital number apart from upper/lower case or spaces "
            f"(patient ids {'; '.join(clashes)}). Correct the hospital number of one of each "
            "pair in the admin (Patients), then run migrate again."
        )


def normalise_existing_data(apps, schema_editor):
    for model_name, field in PHONE_FIELDS:
        model = apps.get_model("reporting", model_name)
        rows = model.objects.exclude(**{field: ""}).values_list("pk", field)
        for pk, value in rows.iterator():
            e164 = _e164(value)
            if e164 is not None and e164 != value:
                model.objects.filter(pk=pk).update(**{field: e164})
    Patient = apps.get_model("reporting", "Patient")
    for pk, number in Patient.objects.values_list("pk", "hospital_number").iterator():
        if number != number.strip():
            Patient.objects.filter(pk=pk).update(hospital_number=number.strip())


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0005_contact_phones"),
    ]

    operations = [
        migrations.RunPython(
            refuse_hospital_numbers_differing_only_in_case, migrations.RunPython.noop
        ),
        migrations.AlterField(
            model_name="patient",
            name="date_of_birth",
            field=models.DateField(
                validators=[reporting.models.people.validate_date_of_birth],
                verbose_name="date of birth",
            ),
        ),
        migrations.AlterField(
            model_name="patient",
            name="hospital_number",
            field=models.CharField(max_length=40, verbose_name="hospital number"),
        ),
        migrations.AddConstraint(
            model_name="patient",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("hospital_number"),
                name="unique_patient_hospital_number_ci",
                violation_error_message="A patient with this hospital number already exists.",
            ),
        ),
        migrations.RunPython(normalise_existing_data, migrations.RunPython.noop),
    ]
