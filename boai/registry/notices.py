"""The versioned notice a person agrees to before any sensitive data is stored (PIPL art. 29-30).
A new text gets a new version; consent records keep the version and the SHA-256 of the text shown."""

import hashlib

from django.utils.translation import get_language

CURRENT = "2026-11"

TEXTS = {
    "2026-11": {
        "zh-hans": (
            "为办理人体器官（遗体）捐献意愿登记，云南省红十字会需要处理您的姓名、证件号码、出生日期、手机号、"
            "住址和捐献意愿。捐献意愿属于敏感个人信息。我们只把这些信息用于登记、核实和在您身故后依法组织捐献，"
            "以及与您和您指定的家属联系；不用于其他目的，不向无关单位提供。证件号码和手机号加密保存，"
            "工作人员只能看到部分号码，每次查看完整信息都有记录。您可以随时查询、更正或撤回登记，"
            "撤回后可以申请删除您的个人信息。不同意本告知，我们将无法为您登记，也不会保存您填写的任何信息。"
        ),
        "en": (
            "To register your wish to donate organs or your body after death, the Yunnan Red Cross needs to "
            "process your name, ID number, birth date, phone, address and your donation wish. Your donation "
            "wish is sensitive personal information. We use this information only to register and verify "
            "your wish, to organise a donation lawfully after your death, and to contact you and the family "
            "members you name; for nothing else, and we give it to no one who has no part in this. ID numbers "
            "and phones are stored encrypted; staff see them only in part, and every full view is recorded. "
            "You can look up, correct or withdraw your registration at any time, and after withdrawing you "
            "can ask us to erase your personal data. If you do not agree, we cannot register you and we keep "
            "nothing you entered."
        ),
    },
}


def text(version: str = CURRENT, language: str | None = None) -> str:
    language = language or get_language() or "zh-hans"
    return TEXTS[version]["zh-hans" if language.startswith("zh") else "en"]


def sha256(version: str = CURRENT) -> str:
    """The hash of the notice in both languages: whichever the person read, the record pins it.
    SHA-256 of the UTF-8 bytes of the Chinese text, a newline, then the English text."""
    both = TEXTS[version]["zh-hans"] + "\n" + TEXTS[version]["en"]
    return hashlib.sha256(both.encode("utf-8")).hexdigest()


def document(version: str = CURRENT) -> dict:
    """The notice as the public API gives it to a kiosk or mini-program: the version (it names both
    texts together), each text, the hash consent records keep, and each text's own hash."""
    texts = TEXTS[version]
    return {
        "version": version,
        "text": dict(texts),
        "sha256": sha256(version),
        "sha256_by_language": {lang: hashlib.sha256(t.encode("utf-8")).hexdigest() for lang, t in texts.items()},
    }
