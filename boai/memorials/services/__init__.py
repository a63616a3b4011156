"""Every write of the memorials app, by area: ``sites`` (memorial sites and memorial events) and
``wall`` (the public memorial wall, the families' consent and their messages)."""
