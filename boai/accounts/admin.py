from django.contrib import admin

from boai.core.admin import ReadOnlyAdmin

from .models import User


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    """Read-only: accounts are created, granted roles and disabled through the workspace's services."""

    list_display = ["username", "full_name", "role", "organization", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name"]
    fields = ["username", "full_name", "role", "organization", "is_active", "last_login", "password_changed_at"]
    readonly_fields = fields
