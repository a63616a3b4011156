"""The code lists every programme shares when it records a person: sex (GB/T 2261.1), ID documents,
family relationships (GB/T 4761), organs and tissues. The stored values are the ones the registry and
the cases stored first ("M", "resident_id", "spouse", "kidney"); the national codes are derived."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Sex(models.TextChoices):
    """Sex as recorded (GB/T 2261.1-2003). A person with an ID document is male or female; a family
    member described by others, or an unidentified person, may be "unknown" or "not stated"."""

    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    UNKNOWN = "U", pgettext_lazy("sex", "Unknown")
    UNSPECIFIED = "N", pgettext_lazy("sex", "Not stated")

    @property
    def gbt2261(self) -> int:
        """The GB/T 2261.1 numeric code: 0 unknown, 1 male, 2 female, 9 not stated."""
        return GBT_2261[self.value]


GBT_2261 = {Sex.UNKNOWN: 0, Sex.MALE: 1, Sex.FEMALE: 2, Sex.UNSPECIFIED: 9}

# What an ID document states (a resident ID number's 17th digit, a passport's sex field): the choices a
# registration, a case or a signer offers. The other two are for people recorded without a document.
DOCUMENT_SEXES = [(Sex.MALE.value, Sex.MALE.label), (Sex.FEMALE.value, Sex.FEMALE.label)]


def sex_from_gbt2261(code: int | str) -> Sex:
    """The Sex for a GB/T 2261.1 code (0, 1, 2 or 9), e.g. from another system's export; ValueError otherwise."""
    for sex, number in GBT_2261.items():
        if str(number) == str(code).strip():
            return Sex(sex)
    raise ValueError(f"not a GB/T 2261.1 sex code: {code!r}")


class IdType(models.TextChoices):
    """The identity documents a person may prove who they are with."""

    RESIDENT_ID = "resident_id", _("Resident ID card")
    PASSPORT = "passport", _("Passport")
    HK_MACAO_PERMIT = "hk_macao_permit", _("Hong Kong/Macao residents' permit")
    TAIWAN_PERMIT = "taiwan_permit", _("Taiwan residents' permit")
    FOREIGN_PERMANENT = "foreign_permanent", _("Foreign permanent resident ID")


class Relationship(models.TextChoices):
    """How a signer, a notifier or a family contact is related to the person."""

    SPOUSE = "spouse", _("spouse")
    CHILD = "child", _("adult child")
    PARENT = "parent", pgettext_lazy("family", "parent")
    SIBLING = "sibling", _("sibling")
    GRANDPARENT = "grandparent", _("grandparent")
    GRANDCHILD = "grandchild", _("grandchild")
    EXECUTOR = "executor", _("executor")
    OTHER = "other", _("other")

    @property
    def gbt4761(self) -> str:
        """The GB/T 4761-2008 family relationship code, without knowing the relative's sex."""
        return gbt4761(self)


# GB/T 4761-2008 (家庭关系代码): 10 spouse, 11 husband, 12 wife; 20 son, 30 daughter; 50 parents, 51 father,
# 52 mother; 40 grandchildren (a son's or a daughter's: the group code); 60 grandparents (paternal or
# maternal: the group code); 70 brothers and sisters; 80 other (an executor is often not a relative, so "other" too).
# The standard has no code for "a child" whatever the sex: the group codes stand in (20 son) unless the
# relative's sex is known. Keyed by (relationship, sex of the relative); "" is "sex not known".
GBT_4761 = {
    (Relationship.SPOUSE, ""): "10",
    (Relationship.SPOUSE, Sex.MALE): "11",
    (Relationship.SPOUSE, Sex.FEMALE): "12",
    (Relationship.CHILD, ""): "20",
    (Relationship.CHILD, Sex.MALE): "20",
    (Relationship.CHILD, Sex.FEMALE): "30",
    (Relationship.PARENT, ""): "50",
    (Relationship.PARENT, Sex.MALE): "51",
    (Relationship.PARENT, Sex.FEMALE): "52",
    (Relationship.GRANDCHILD, ""): "40",
    (Relationship.GRANDPARENT, ""): "60",
    (Relationship.SIBLING, ""): "70",
    (Relationship.EXECUTOR, ""): "80",
    (Relationship.OTHER, ""): "80",
}


def gbt4761(relationship: str, sex: str = "") -> str:
    """The GB/T 4761 code of a relationship, finer when the relative's sex is known: a female parent is 52."""
    relationship = Relationship(relationship)
    sex = sex if sex in (Sex.MALE, Sex.FEMALE) else ""
    return GBT_4761.get((relationship, sex)) or GBT_4761[(relationship, "")]


class Organ(models.TextChoices):
    """The organs a person may donate, and a case may consent to, procure and allocate."""

    KIDNEY = "kidney", _("kidney")
    LIVER = "liver", _("liver")
    HEART = "heart", _("heart")
    LUNG = "lung", _("lung")
    PANCREAS = "pancreas", _("pancreas")
    SMALL_INTESTINE = "small_intestine", _("small intestine")


# A registrant's wish may name every organ at once ("all"), which no consent or procurement does.
OrganWish = models.TextChoices(
    "OrganWish",
    [("ALL", ("all", _("all organs"))), *((organ.name, (organ.value, organ.label)) for organ in Organ)],
    module=__name__,
)


class Tissue(models.TextChoices):
    CORNEA = "cornea", _("cornea")
    OTHER = "other", _("other tissues")
