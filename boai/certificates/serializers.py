from rest_framework import serializers

from boai.core.people import Relationship

from .models import MAX_SERIAL, STOCK_CHOICES, Certificate, CertificateBatch, Kind

# what is issued through the API: a consent form is used by the consent step of its case instead
ISSUED_KINDS = [(k.value, k.label) for k in (Kind.ORGAN, Kind.BODY_RECEPTION, Kind.BODY_HONOUR)]

REQUIRED = serializers.Field.default_error_messages["required"]  # DRF's own, translated message


class CertificateSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state_label = serializers.CharField(read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True, default=None, allow_null=True)
    case = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id",
            "kind",
            "kind_label",
            "number",
            "state",
            "state_label",
            "unit",
            "case",
            "donor_name",
            "recipient_name",
            "recipient_relationship",
            "issued_on",
            "void_reason",
            "version",
        ]

    def get_case(self, obj) -> str | None:
        return obj.case.number if obj.case else None


class IssueRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ISSUED_KINDS)
    case = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="the case id")
    serial = serializers.IntegerField(required=False, min_value=1, max_value=MAX_SERIAL, help_text="organ: the blank")
    recipient_name = serializers.CharField(required=False, max_length=64)
    recipient_relationship = serializers.ChoiceField(choices=Relationship.choices, required=False, default="other")
    issued_on = serializers.DateField(required=False)

    def validate(self, data):
        if data["kind"] == Kind.ORGAN:
            missing = [f for f in ("serial", "recipient_name", "issued_on") if not data.get(f)]
            if missing:
                raise serializers.ValidationError({f: [REQUIRED] for f in missing}, code="required")
        return data


class VoidRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
    version = serializers.IntegerField(required=False)


class BatchSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=STOCK_CHOICES, default=Kind.ORGAN, help_text="organ, or organ_consent")
    # the bounds of the page's form: a serial is printed with eight digits, and 0 is no serial
    serial_from = serializers.IntegerField(min_value=1, max_value=MAX_SERIAL)
    serial_to = serializers.IntegerField(min_value=1, max_value=MAX_SERIAL)
    size = serializers.IntegerField(read_only=True)

    class Meta:
        model = CertificateBatch
        fields = ["id", "kind", "serial_from", "serial_to", "size", "received_on", "supplier", "note", "created_at"]
        read_only_fields = ["created_at"]
