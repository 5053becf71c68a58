"""Try to add PostgreSQL's ``unaccent`` extension, for the accent-blind search on /learn/.

Creating an extension needs a privilege the app's database user may not have: superuser, or
(PostgreSQL 13 and later, where ``unaccent`` is a trusted extension) CREATE on the database.
When it is refused, migrate goes on: the refusal is logged as a warning and the search uses
the normalised search columns instead (education.selectors.unaccent_available), with the same
results. A database administrator can run ``CREATE EXTENSION unaccent;`` later; the app uses
it from its next start. Nothing happens on other databases. Reversing leaves the extension:
other software may use it.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)


def create_unaccent(connection):
    """True when ``unaccent`` is installed afterwards; never raises for a refusal."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")
        if cursor.fetchone():
            return True
    try:
        # A savepoint: the failed statement must not abort the migration's transaction.
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    except DatabaseError as error:
        logger.warning(
            "PostgreSQL refused CREATE EXTENSION unaccent (%s): the search on /learn/ uses "
            "its normalised columns instead. See README, Education pages.",
            type(error).__name__,
        )
        return False
    return True


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        create_unaccent(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("education", "0005_search_columns_synonyms_and_drafts")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
