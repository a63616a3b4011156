from rest_framework import serializers

from .chain import CHAINED_FIELDS
from .models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [*CHAINED_FIELDS, "prev_hash", "hash", "chain_version"]
