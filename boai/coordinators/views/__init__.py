"""The coordinators' pages, by area; each module declares its ``urlpatterns``."""
