from rest_framework import serializers

from boai.core.people.serializers import PersonSerializerMixin
from boai.lib.masking import mask_id_number, mask_phone, mask_text

from .models import ImportJob, Refusal, Registration
from .services import PersonData, get_progress, import_job_stalled


class RegistrationSerializer(serializers.ModelSerializer):
    """Protected fields are masked here, on the server; the unmask endpoint is the only way round."""

    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    birth_year = serializers.IntegerField(
        read_only=True, help_text="the year only: the full birth date comes with the full ID number (unmask)"
    )
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    revoked_refusals = serializers.SerializerMethodField(
        help_text="refusals made in life that this registration revoked (the date each was stated): warn the staff"
    )

    class Meta:
        model = Registration
        fields = [
            "id",
            "number",
            "name",
            "sex",
            "id_type",
            "id_number",
            "birth_year",
            "phone",
            "region",
            "region_name",
            "address",
            "organs",
            "tissues",
            "body",
            "channel",
            "status",
            "signed_on",
            "registered_at",
            "withdrawn_at",
            "withdrawal_reason",
            "deceased_on",
            "national_number",
            "revoked_refusals",
            "version",
        ]

    def get_id_number(self, obj) -> str:
        return mask_id_number(obj.id_number)

    def get_revoked_refusals(self, obj) -> list[str]:
        return [r.stated_on.isoformat() for r in obj.revoked_refusals.all()]

    def get_phone(self, obj) -> str:
        return mask_phone(obj.phone)

    def get_address(self, obj) -> str:
        return mask_text(obj.address)


class UnmaskRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, min_length=4)


class UnmaskedSerializer(serializers.Serializer):
    id_number = serializers.CharField()
    birth_date = serializers.DateField()
    phone = serializers.CharField()
    address = serializers.CharField(allow_blank=True)


class SearchRequestSerializer(serializers.Serializer):
    search = serializers.CharField(max_length=100, help_text="number, name, or an exact ID number or phone")
    status = serializers.ChoiceField(choices=Registration.Status.choices, required=False, default="", allow_blank=True)
    region = serializers.RegexField(r"^\d{2,6}$", required=False, default="", help_text="region code prefix")


class FamilyMemberSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64)
    relationship = serializers.CharField(max_length=32, allow_blank=True, required=False, default="")


class PersonFieldsSerializer(PersonSerializerMixin):
    """The fields of a registration as a client sends them (validated again, fully, by the service).
    Name, sex, ID document, birth date and county: ``PersonSerializerMixin``."""

    ethnic_group = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    organs = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        default=list,
        help_text='e.g. ["all"] or ["kidney", "liver"]',
    )
    tissues = serializers.ListField(child=serializers.CharField(max_length=20), required=False, default=list)
    body = serializers.BooleanField(required=False, default=False)
    family_informed = FamilyMemberSerializer(many=True, required=False, default=list)
    executor_name = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    executor_relationship = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    executor_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    campaign = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    consent_version = serializers.CharField(max_length=32, help_text="the version of the notice the person agreed to")

    def person_data(self):
        d = dict(self.validated_data)
        d.pop("consent_version", None)
        d.pop("code", None)
        d.pop("channel", None)
        d["region_code"] = d.pop("region")
        d["family_informed"] = [dict(m) for m in d.get("family_informed", [])]
        return PersonData(**d)


class RegistrationCreateSerializer(PersonFieldsSerializer):
    channel = serializers.ChoiceField(
        # online needs the SMS code (the portal); offline at an event needs the signature and the
        # staff's attestation (outreach's offline collection)
        choices=[
            c
            for c in Registration.Channel.choices
            if c[0] not in (Registration.Channel.ONLINE, Registration.Channel.EVENT_OFFLINE)
        ],
        default=Registration.Channel.PAPER,
    )
    signed_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="the day the person signed the form (YYYY-MM-DD, Beijing), when it is entered later: the day the"
        " registration counts on in the figures; not in the future, not before the person turned 18. Absent:"
        " the day of entry",
    )


class PublicRegistrationSerializer(PersonFieldsSerializer):
    code = serializers.RegexField(r"^\d{6}$", help_text="the code sent by SMS to the phone")


class RegistrationAmendSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="the version you read: a stale one answers 409")
    phone = serializers.CharField(max_length=20, required=False)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    region = serializers.RegexField(r"^\d{6}$", required=False)
    organs = serializers.ListField(child=serializers.CharField(max_length=20), required=False)
    tissues = serializers.ListField(child=serializers.CharField(max_length=20), required=False)
    body = serializers.BooleanField(required=False)
    executor_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    executor_relationship = serializers.CharField(max_length=32, required=False, allow_blank=True)
    executor_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)

    def changes(self):
        d = dict(self.validated_data)
        d.pop("version")
        if "region" in d:
            d["region_code"] = d.pop("region")
        return d


class WithdrawRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class PhoneSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20)


class IdNumberSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=40)


class VerifySerializer(serializers.Serializer):
    number = serializers.CharField()
    masked_name = serializers.CharField()
    status = serializers.CharField()
    date = serializers.DateField()


class RegisteredSerializer(VerifySerializer):
    verify_code = serializers.CharField(help_text="the code of the e-card's verification link")
    created = serializers.BooleanField(help_text="false: the ID number was already registered with this phone")


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


def _by_language(name: str, what: str) -> type:
    """A serializer whose fields are the notice's language codes ("zh-hans" is no Python name)."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "__module__": __name__,
            "zh-hans": serializers.CharField(help_text=what % "simplified Chinese (the text people read)"),
            "en": serializers.CharField(help_text=what % "English"),
        },
    )


NoticeTextsSerializer = _by_language("NoticeTextsSerializer", "The notice in %s.")
NoticeHashesSerializer = _by_language("NoticeHashesSerializer", "SHA-256 (hex) of the UTF-8 bytes of the %s text.")


class ConsentNoticeSerializer(serializers.Serializer):
    """The notice on personal information a person agrees to before registering (PIPL art. 29-30)."""

    version = serializers.CharField(
        help_text="The current notice version. It names both texts together: a change to either language "
        "is a new version. Send it back as `consent_version` when registering."
    )
    text = NoticeTextsSerializer(help_text="The notice text by language code, exactly as hashed (no trailing newline).")
    sha256 = serializers.CharField(
        help_text="SHA-256 (hex) of the UTF-8 bytes of `text.zh-hans`, a newline (U+000A), then `text.en`: "
        "the hash stored with every consent record of this version (`notice_sha256`)."
    )
    sha256_by_language = NoticeHashesSerializer(
        help_text="SHA-256 (hex) of each language's text alone, for a client that shows one language."
    )


class DeceasedRequestSerializer(serializers.Serializer):
    died_on = serializers.DateField()
    version = serializers.IntegerField(help_text="the registration's version you read; a stale one answers 409")


class RefusalSerializer(serializers.ModelSerializer):
    """A refusal made in life; the ID number masked. ``revoked_by_registration`` is the number of the
    later registration that revoked it, if one did."""

    id_number = serializers.SerializerMethodField()
    region = serializers.CharField(source="region_id", read_only=True)
    revoked_by_registration = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = Refusal
        fields = [
            "id",
            "name",
            "id_type",
            "id_number",
            "region",
            "stated_on",
            "note",
            "recorded_at",
            "revoked_at",
            "revoked_on",
            "revocation_reason",
            "revoked_by_registration",
        ]

    def get_id_number(self, obj) -> str:
        return mask_id_number(obj.id_number)


class RefusalCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64)
    id_type = serializers.ChoiceField(choices=Registration.IdType.choices, default=Registration.IdType.RESIDENT_ID)
    id_number = serializers.CharField(max_length=40)
    region = serializers.CharField(max_length=6, help_text="the county code (GB/T 2260)")
    stated_on = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RefusalRevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
    revoked_on = serializers.DateField(help_text="the date of the person's written statement")


class NationalImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="the national registry's export, .xlsx or .csv")
    mapping = serializers.JSONField(
        required=False,
        help_text='{field: column header}, only what differs from the default, e.g. {"what": "捐献类型"}',
    )


class ImportCommitSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=[("all", "all rows"), ("valid", "the valid rows only")])


class ImportJobSerializer(serializers.ModelSerializer):
    """An import job: its state, progress and result, with the first row errors."""

    progress = serializers.SerializerMethodField()
    stalled = serializers.SerializerMethodField(
        help_text="no sign of life from a worker for BOAI_IMPORT_STALL_MINUTES (or never queued): resume or cancel it"
    )
    kind = serializers.CharField(read_only=True, help_text='"national": the national registry\'s export')

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "filename",
            "created_at",
            "state",
            "progress",
            "mapping",
            "total_rows",
            "valid_rows",
            "error_rows",
            "errors",
            "imported_rows",
            "skipped_rows",
            "message",
            "finished_at",
            "stalled",
        ]

    def get_progress(self, obj) -> int:
        return get_progress(obj)["percent"]

    def get_stalled(self, obj) -> bool:
        return import_job_stalled(obj)


class NationalExportSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class NationalNumbersSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="columns 本地登记编号 (local number) and 登记编号 (national number)")


class HeldAnswerSerializer(serializers.Serializer):
    """The answer when an entry is held for review at province level: the same for every reason."""

    code = serializers.CharField(help_text="held_for_review")
    detail = serializers.CharField()
    reference = serializers.CharField(help_text="quote it to the province")
