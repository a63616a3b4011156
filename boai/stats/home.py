"""Statistics' panels on the workspace home page (``lib.home``): none yet."""

PANELS: list = []
