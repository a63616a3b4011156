from rest_framework import serializers

from boai.core.people import DOCUMENT_SEXES
from boai.lib.masking import mask_id_number, mask_phone

from .models import BodyCase, CaseStep, OrganCase, OrganOutcome, Signer, Witness

_COMMON = [
    "id",
    "number",
    "state",
    "state_label",
    "name",
    "sex",
    "birth_year",
    "id_type",
    "id_number",
    "region",
    "region_name",
    "registration",
    "registry_finding",
    "registry_note",
    "opened_at",
    "died_at",
    "closed_at",
    "exit_reason",
    "counted_at",
    "version",
]


class SignerSerializer(serializers.ModelSerializer):
    """A close relative recorded at a consent step; the ID number masked here, on the server."""

    id_number = serializers.SerializerMethodField()

    class Meta:
        model = Signer
        fields = [
            "name",
            "relationship",
            "id_type",
            "id_number",
            "proof",
            "outcome",
            "signed_on",
            "proxy_name",
            "proxy_relationship",
            "note",
        ]

    def get_id_number(self, obj) -> str:
        return mask_id_number(obj.id_number) if obj.id_number else ""


class StepSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True)
    data = serializers.JSONField(read_only=True)  # stored encrypted as text; an object in the API
    signers = SignerSerializer(many=True, read_only=True)  # the close relatives of a consent step

    class Meta:
        model = CaseStep
        fields = ["id", "from_state", "to_state", "step", "actor", "occurred_at", "recorded_at", "data", "signers"]


class OutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrganOutcome
        fields = ["organ", "recovered", "reason", "reason_text", "allocation_ref", "recipients", "not_transplanted"]


class CaseSerializer(serializers.ModelSerializer):
    """ID numbers and phones are masked here, on the server."""

    id_number = serializers.SerializerMethodField()
    birth_year = serializers.IntegerField(read_only=True, help_text="the year only, beside the masked ID number")
    sex = serializers.ChoiceField(choices=DOCUMENT_SEXES)  # what a case takes: the ID document's male or female
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    steps = StepSerializer(many=True, read_only=True)

    def get_id_number(self, obj) -> str:
        return mask_id_number(obj.id_number)


class WitnessSerializer(serializers.ModelSerializer):
    coordinator = serializers.CharField(source="coordinator.username", read_only=True)

    class Meta:
        model = Witness
        fields = ["kind", "coordinator", "witnessed_at", "remarks"]


class OrganCaseSerializer(CaseSerializer):
    outcomes = OutcomeSerializer(many=True, read_only=True)
    witnesses = WitnessSerializer(many=True, read_only=True)

    class Meta:
        model = OrganCase
        fields = [
            *_COMMON,
            "unit",
            "hospital",
            "diagnosis",
            "referred_at",
            "procurement_team",
            "transplant_team",
            "consented_organs",
            "consented_tissues",
            "donation_category",
            "beneficiaries",
            "witnesses",
            "outcomes",
            "steps",
        ]


class BodyCaseSerializer(CaseSerializer):
    notifier_phone = serializers.SerializerMethodField()
    death_certificate_recorded = serializers.SerializerMethodField()

    class Meta:
        model = BodyCase
        fields = [
            *_COMMON,
            "station",
            "basis",
            "place_of_death",
            "notifier_name",
            "notifier_relationship",
            "notifier_phone",
            "received_at",
            "death_certificate_recorded",
            "death_certificate_date",
            "handover_on",
            "transported_by",
            "transported_at",
            "use",
            "specimen_kept_at",
            "memorial_record",
            "honoured_at",
            "steps",
        ]

    def get_notifier_phone(self, obj) -> str:
        return mask_phone(obj.notifier_phone)

    def get_death_certificate_recorded(self, obj) -> bool:
        """Whether the death certificate is on record (its number is kept encrypted and not sent)."""
        return bool(obj.death_certificate_number)


class FieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.CharField()
    required = serializers.BooleanField()
    choices = serializers.ListField(child=serializers.DictField(), required=False)
    fields = serializers.ListField(child=serializers.DictField(), required=False)


class TransitionSerializer(serializers.Serializer):
    to = serializers.CharField()
    label = serializers.CharField()
    exit = serializers.BooleanField()
    allowed = serializers.BooleanField()
    blocked = serializers.ListField(child=serializers.CharField())
    rules = serializers.ListField(child=serializers.DictField())
    fields = FieldSerializer(many=True)


class TransitionsSerializer(serializers.Serializer):
    state = serializers.CharField()
    version = serializers.IntegerField()
    transitions = TransitionSerializer(many=True)
