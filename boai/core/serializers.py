from rest_framework import serializers

from .models import Organisation, Region


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", allow_null=True, read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent"]


class OrganisationSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "type", "region", "parent", "is_active"]
