"""Every read of the care app that is more than a get, by area."""
