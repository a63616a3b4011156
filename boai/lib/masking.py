"""Masking for display. Done on the server: the raw value never reaches a page or an API answer."""


def mask_id_number(value: str | None) -> str:
    """First 6 and last 4 characters: 530102********123X."""
    if not value:
        return ""
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 3, 1) + value[-1:]
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """First 3 and last 4 digits: 138****5678."""
    if not value:
        return ""
    if len(value) <= 7:
        return value[:1] + "*" * (len(value) - 1)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str | None) -> str:
    """Keep the family name (first character), hide the rest: 张** / J***."""
    if not value:
        return ""
    return value[0] + "*" * max(len(value) - 1, 1)


def mask_text(value: str | None) -> str:
    """For addresses and free text: keep the first 6 characters."""
    if not value:
        return ""
    return value[:6] + "****"
