from rest_framework import serializers

from boai.core.people.serializers import PersonSerializerMixin
from boai.lib.masking import mask_id_number, mask_phone, mask_text

from .models import Registration
from .services import PersonData


class RegistrationSerializer(serializers.ModelSerializer):
    """Protected fields are masked here, on the server; the unmask endpoint is the only way round."""

    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "number",
            "name",
            "sex",
            "id_type",
            "id_number",
            "birth_date",
            "phone",
            "region",
            "region_name",
            "address",
            "organs",
            "tissues",
            "body",
            "channel",
            "status",
            "registered_at",
            "withdrawn_at",
            "withdrawal_reason",
            "version",
        ]

    def get_id_number(self, obj) -> str:
        return mask_id_number(obj.id_number)

    def get_phone(self, obj) -> str:
        return mask_phone(obj.phone)

    def get_address(self, obj) -> str:
        return mask_text(obj.address)


class UnmaskRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, min_length=4)


class UnmaskedSerializer(serializers.Serializer):
    id_number = serializers.CharField()
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
        choices=[c for c in Registration.Channel.choices if c[0] != Registration.Channel.ONLINE],
        default=Registration.Channel.PAPER,
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
