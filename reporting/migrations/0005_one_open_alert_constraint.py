# The unique constraint of migration 0004, in a migration of its own: PostgreSQL refuses to
# create an index on a table whose rows the same transaction has just changed.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0004_one_open_alert_per_patient'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='alert',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['new', 'acknowledged'])), fields=('patient',), name='one_open_alert_per_patient'),
        ),
    ]
