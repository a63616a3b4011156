"""Every read of the memorials app that is more than a get, by area."""
