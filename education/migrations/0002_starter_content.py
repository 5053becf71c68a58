"""Load the starter education pages (English and Vietnamese) from education/starter_content/.

Idempotent (get_or_create by slug); admins edit the pages afterwards. Reversing keeps the
pages: they may have been edited, and running forward again changes nothing.
"""

from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from education.starter import load_starter_pages

    load_starter_pages(apps.get_model("education", "Article"), timezone.localdate())


class Migration(migrations.Migration):
    dependencies = [("education", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
