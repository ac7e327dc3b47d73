"""A clear message when a plaque number is already taken (the constraint's name was shown otherwise)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("microstations", "0002_role_permissions")]

    operations = [
        migrations.AlterConstraint(
            model_name="microstation",
            name="station_plaque_no_unique",
            constraint=models.UniqueConstraint(
                condition=models.Q(("plaque_no", ""), _negated=True),
                fields=("plaque_no",),
                name="station_plaque_no_unique",
                violation_error_message="牌匾编号已被其他微站使用。",
            ),
        ),
    ]
