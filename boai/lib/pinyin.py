"""Pinyin initials of a Chinese name, for searching by initials (张建华 -> ZJH).

Surnames have readings of their own (曾 is Zeng as a surname, Ceng in words; 单 is Shan, 解 is Xie),
so every reading of the first character is kept: 曾小明 -> "CXM ZXM", and a search for either finds
the person. The other characters take their most common reading. Characters are looked up in
pypinyin's dictionary directly: a phrase-segmenting call per name made large imports slow."""

import unicodedata
from functools import lru_cache
from itertools import product

from pypinyin.pinyin_dict import pinyin_dict


@lru_cache(maxsize=16384)  # a few thousand characters make up nearly every name: an import asks again and again
def _letters(ch: str, *, every_reading: bool) -> tuple[str, ...]:
    readings = pinyin_dict.get(ord(ch))
    if not readings:
        return (ch.upper(),) if ch.isascii() and ch.isalpha() else ()
    firsts = []
    for reading in readings.split(",")[: None if every_reading else 1]:
        letter = unicodedata.normalize("NFKD", reading)[0].upper()  # strip the tone mark
        if letter not in firsts:
            firsts.append(letter)
    return tuple(firsts)


def initials(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in name):  # a name in Latin letters: Mary Li -> ML
        return "".join(word[0] for word in name.split()).upper()[:64]
    chars = [ch for ch in name if not ch.isspace() and ch not in "·•."]
    options = [_letters(ch, every_reading=i == 0) for i, ch in enumerate(chars)]
    options = [o for o in options if o]
    variants = sorted({"".join(v) for v in product(*options)})
    return " ".join(variants)[:64]
