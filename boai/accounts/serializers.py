from rest_framework import serializers

from .models import User


class UserSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "role", "organization", "is_active", "last_login"]
