from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_roles_and_schedules"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="failure_reason",
            field=models.CharField(blank=True, max_length=500, verbose_name="失败原因"),
        ),
    ]
