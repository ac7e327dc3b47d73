"""A clear message when a certificate number is already taken (the constraint's name was shown otherwise)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0002_role_permissions")]

    operations = [
        migrations.AlterConstraint(
            model_name="volunteer",
            name="volunteer_certificate_no_unique",
            constraint=models.UniqueConstraint(
                condition=models.Q(("certificate_no", ""), _negated=True),
                fields=("certificate_no",),
                name="volunteer_certificate_no_unique",
                violation_error_message="聘书编号已被其他宣传员使用。",
            ),
        ),
    ]
