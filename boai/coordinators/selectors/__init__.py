"""Every read of the coordinators app that is more than a get, by area."""
