"""Staff sessions: Django's database sessions, whose idle deadline moves forward at most once a minute.

``SESSION_SAVE_EVERY_REQUEST`` pushes the deadline (``BOAI_SESSION_IDLE_MINUTES``) forward on every
request, which with database sessions costs an UPDATE and a commit on every page. Here a session whose
data did not change is written only when its stored deadline is more than ``MOVE_EVERY`` seconds old:
a session still ends after 30 idle minutes, at most a minute early, never late. A session whose data
changed (a login, a remembered search) is written at once, as before."""

from django.contrib.sessions.backends import db
from django.utils import timezone

MOVE_EVERY = 60  # seconds


class SessionStore(db.SessionStore):
    _stored_expiry = None  # the deadline as read from the database with the session

    def _get_session_from_db(self):
        found = super()._get_session_from_db()
        self._stored_expiry = found.expire_date if found else None
        return found

    def _deadline_is_fresh(self) -> bool:
        """The stored deadline is this session's idle age from now, less at most a minute (a tenth
        of the age when that is shorter). One further away (the age was lowered since) is written."""
        if self._stored_expiry is None:
            return False
        age = self.get_expiry_age()
        left = (self._stored_expiry - timezone.now()).total_seconds()
        return age - min(MOVE_EVERY, age // 10) < left <= age

    def save(self, must_create=False):
        if not must_create and not self.modified and self._deadline_is_fresh():
            return  # unchanged, and its deadline was moved less than a minute ago
        super().save(must_create=must_create)
        self._stored_expiry = self.get_expiry_date()
