"""Numbers typed by people or sent by clients."""


def plain_number(value, *, digits: int = 10) -> int | None:
    """``value`` as an int when it is a plain ASCII number of 1 to ``digits`` digits, else ``None``.
    ``str.isdigit()`` alone is not enough: "²" and "①" pass it and then ``int()`` fails."""
    if isinstance(value, str) and value.isascii() and value.isdecimal() and len(value) <= digits:
        return int(value)
    return None
