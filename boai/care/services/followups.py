"""Services of follow-ups: the plan (after the donation and on the traditional days), the family's
wishes and the no-contact rule, contacts and visits."""


def plan_follow_ups(family, *, actor=None) -> int:
    """Plan the family's follow-ups from the province's settings (none when the family may not be
    contacted); returns how many were added. Called when a family record is made. (Filled in by the
    follow-ups area.)"""
    return 0
