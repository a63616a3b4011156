import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from boai.lib import crypto

KEY1 = "1:00112233445566778899aabbccddeeff"
KEY2 = "2:ffeeddccbbaa99887766554433221100"


def test_a_value_encrypts_and_decrypts_back():
    ring = crypto.KeyRing.parse(KEY1)
    token = crypto.encrypt("530102198001011234", context="t.c", ring=ring)
    assert "530102198001011234" not in token
    assert crypto.decrypt(token, context="t.c", ring=ring) == "530102198001011234"


def test_the_same_value_encrypts_differently_each_time():
    ring = crypto.KeyRing.parse(KEY1)
    assert crypto.encrypt("13812345678", context="t.c", ring=ring) != crypto.encrypt(
        "13812345678", context="t.c", ring=ring
    )


def test_a_flipped_ciphertext_byte_is_refused_and_logged(caplog):
    ring = crypto.KeyRing.parse(KEY1)
    token = crypto.encrypt("13812345678", context="t.c", ring=ring)
    key_id, _, payload = token.partition("$")
    raw = bytearray(__import__("base64").b64decode(payload))
    raw[15] ^= 0x01
    tampered = f"{key_id}${__import__('base64').b64encode(bytes(raw)).decode()}"
    with caplog.at_level(logging.ERROR, logger="boai.crypto"), pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered, context="t.c", ring=ring)
    assert "decryption failed for t.c" in caplog.text
    assert "13812345678" not in caplog.text


def test_plaintext_where_a_ciphertext_belongs_is_refused_without_being_logged(caplog):
    ring = crypto.KeyRing.parse(KEY1)
    with caplog.at_level(logging.ERROR, logger="boai.crypto"), pytest.raises(crypto.DecryptionError):
        crypto.decrypt("重型颅脑损伤 13812345678", context="t.c", ring=ring)
    assert "decryption failed for t.c" in caplog.text and "(not a token)" in caplog.text
    assert "13812345678" not in caplog.text and "颅脑" not in caplog.text


def test_a_ciphertext_moved_to_another_column_does_not_decrypt():
    ring = crypto.KeyRing.parse(KEY1)
    token = crypto.encrypt("13812345678", context="registry.registration.phone", ring=ring)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="registry.registration.id_number", ring=ring)


def test_old_keys_still_decrypt_after_a_new_key_becomes_current():
    old = crypto.encrypt("secret", context="t.c", ring=crypto.KeyRing.parse(KEY1))
    ring = crypto.KeyRing.parse(f"{KEY2},{KEY1}")
    assert crypto.key_id_of(old) == "1"
    assert crypto.decrypt(old, context="t.c", ring=ring) == "secret"
    assert crypto.key_id_of(crypto.encrypt("secret", context="t.c", ring=ring)) == "2"


@pytest.mark.parametrize(
    "spec, message",
    [
        ("", "no field key"),
        ("1:abcd", "16 bytes"),
        ("1:zz112233445566778899aabbccddeeff", "hexadecimal"),
        (f"{KEY1},{KEY1}", "twice"),
    ],
)
def test_bad_key_configuration_is_explained(spec, message):
    with pytest.raises(crypto.KeyConfigError, match=message):
        crypto.KeyRing.parse(spec)


@pytest.mark.parametrize(
    "variant",
    ["53010219800101123x", "53010219800101123X", " 530102 19800101 123X ", "５３０１０２１９８００１０１１２３Ｘ"],
)
def test_the_blind_index_finds_the_same_id_however_it_was_typed(variant):
    key = bytes(16)
    expected = crypto.blind_index("53010219800101123X", purpose="id_number", key=key)
    assert crypto.blind_index(crypto.normalise(variant), purpose="id_number", key=key) == expected


def test_phone_normalisation_drops_the_country_code_and_separators():
    assert crypto.normalise_phone("+86 138-1234-5678") == "13812345678"
    assert crypto.normalise_phone("0086 13812345678") == "13812345678"


@given(st.text(min_size=0, max_size=200))
def test_any_text_round_trips(text):
    ring = crypto.KeyRing.parse(KEY1)
    assert crypto.decrypt(crypto.encrypt(text, context="p", ring=ring), context="p", ring=ring) == text
