"""Pinyin initials of a Chinese name, for searching by initials (张建华 -> ZJH).

Surnames have readings of their own (曾 is Zeng as a surname, Ceng in words; 单 is Shan, 解 is Xie),
and pypinyin reads words, so every reading of the first character is kept:
曾小明 -> "CXM ZXM". A search for either finds the person."""

from itertools import product

from pypinyin import Style, pinyin


def initials(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in name):  # a name in Latin letters: Mary Li -> ML
        return "".join(word[0] for word in name.split()).upper()[:64]
    readings = pinyin(name, style=Style.FIRST_LETTER, heteronym=True, errors=lambda chars: list(chars))
    options = [sorted({r.upper()[:1] for r in readings[0] if r})] + [[r[0].upper()[:1]] for r in readings[1:] if r]
    variants = sorted({"".join(v) for v in product(*options)})
    return " ".join(variants)[:64]
