"""Every write of the coordinators app, by area (``people``, ``applications``, ``training``,
``qualifications``, ``practice``: assessments, awards, on call)."""
