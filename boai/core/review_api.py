"""The API's share of the level-by-level review (``boai.core.review_levels``): a decision as it is
recorded, the levels and the one now reviewing, and the body of a decision. Each app names its review
model (``class Meta(ReviewSerializer.Meta): model = ...``) and adds its own fields."""

from django.utils.translation import pgettext_lazy
from rest_framework import serializers

from .review_levels import current_level


class ReviewSerializer(serializers.ModelSerializer):
    reviewer = serializers.CharField(source="reviewer.username", read_only=True)
    organisation = serializers.CharField(source="organisation.code", read_only=True)

    class Meta:
        fields = ["level", "decision", "reason", "reviewer", "organisation", "decided_at"]


class LevelsSerializer(serializers.Serializer):
    """``levels`` (copied when the request was made) and ``current_level`` (while it is in review)."""

    levels = serializers.SerializerMethodField()
    current_level = serializers.SerializerMethodField()

    def get_levels(self, obj) -> list[str]:
        return obj.level_list()

    def get_current_level(self, obj) -> str | None:
        return current_level(obj) if obj.state == obj.State.IN_REVIEW else None


class DecisionSerializer(serializers.Serializer):
    """The decision of the level now reviewing: ``approved``, or ``rejected`` with a ``reason``."""

    decision = serializers.ChoiceField(
        choices=[
            ("approved", pgettext_lazy("review decision", "Approved")),
            ("rejected", pgettext_lazy("review decision", "Rejected")),
        ]
    )
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
