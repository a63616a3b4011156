from django.db import models


class Parcel(models.Model):
    """A parcel that is sent, then received: the smallest record with a workflow."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Sent"
        RECEIVED = "received", "Received"

    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(default=1)
    label = models.CharField(max_length=50, blank=True)

    class Meta:
        app_label = "plugin_app"
        db_table = "plugin_app_parcel"

    def __str__(self):
        return f"parcel {self.pk}"


# The table, created by the test (the app has no migrations: it exists only while a test runs).
TABLE_SQL = {
    "sqlite": "CREATE TABLE plugin_app_parcel (id integer PRIMARY KEY AUTOINCREMENT, state varchar(16) NOT NULL,"
    " version integer NOT NULL, label varchar(50) NOT NULL)",
    "postgresql": "CREATE TABLE plugin_app_parcel (id serial PRIMARY KEY, state varchar(16) NOT NULL,"
    " version integer NOT NULL, label varchar(50) NOT NULL)",
}
