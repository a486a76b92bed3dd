from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="evaluation",
            name="results_version",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Goes up whenever what the results pages show may have changed; "
                "results and rendered results kept in a cache are filed under it, so they are "
                "never stale.",
            ),
        ),
    ]
