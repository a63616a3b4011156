"""What the audit log keeps of personal values: the masks of ``boai.lib.masking``, and of a birth date
its year only (beside a masked ID number the date would complete it: issue 12)."""

from datetime import date

from boai.audit.services import masked_changes


def test_changes_keep_only_the_masks_and_the_birth_year():
    changes = masked_changes(
        {
            "id_number": "53010219680314123X",
            "birth_date": [date(1968, 3, 14), date(1968, 4, 14)],
            "consenter_birth_date": "1940-01-02",
            "phone": "13812345678",
            "died_on": date(2024, 5, 6),
        }
    )
    assert changes == {
        "id_number": "530102***********X",
        "birth_date": ["1968", "1968"],
        "consenter_birth_date": "1940",
        "phone": "138****5678",
        "died_on": "2024-05-06",
    }
