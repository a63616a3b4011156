"""What the coordinators add to the cases through their plug-in points (``cases.extensions``): the
witness rule's qualification check and the case page's on-call coordinators."""

from . import workflow  # noqa: F401,E402  (the application workflow, registered with the engine at start-up)
