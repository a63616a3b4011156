from rest_framework import serializers

from .models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "created_at",
            "actor_username",
            "actor_role",
            "ip",
            "request_id",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
            "success",
            "prev_hash",
            "hash",
        ]
