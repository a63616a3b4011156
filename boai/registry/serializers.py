from rest_framework import serializers

from boai.lib.masking import mask_id_number, mask_phone, mask_text

from .models import Registration


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
