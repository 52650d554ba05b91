from django.db import migrations

from vigil.audit.appendonly import append_only


class Migration(migrations.Migration):
    dependencies = [("records", "0003_linkage")]
    operations = [append_only("records_judgement")]
