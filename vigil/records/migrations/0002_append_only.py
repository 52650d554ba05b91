from django.db import migrations

from vigil.audit.appendonly import append_only


class Migration(migrations.Migration):
    """Evidence is never rewritten: facts, custody, action history and decisions only grow."""

    dependencies = [("records", "0001_initial")]
    operations = [
        append_only("records_fact"),
        append_only("records_custodyevent"),
        append_only("records_actionstep"),
        append_only("records_categorydecision"),
    ]
