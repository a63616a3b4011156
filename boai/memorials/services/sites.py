"""Services of sites."""
