"""Django admin for the system administrator: organisations and reference data. Logging in goes
through Boai's own two-step login; every change is made by a service and audited."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from boai.audit.services import audit_log

from .models import Organisation, ReferenceDataset, Region

admin.site.site_header = _("Boai administration")
admin.site.site_title = _("Boai administration")


def _admin_login(request, extra_context=None):
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.GET.get('next', '/admin/')})}")


def _has_permission(request):
    user = request.user
    return bool(user.is_active and user.is_authenticated and user.has_perm("accounts.view"))


admin.site.login = _admin_login
admin.site.has_permission = _has_permission


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never edited here: the data comes from a loader or a service that audits it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "type", "region", "parent", "is_active"]
    list_filter = ["type", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["region", "parent"]

    def has_delete_permission(self, request, obj=None):
        return False  # organisations are deactivated, never deleted

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = {name: form.cleaned_data.get(name) for name in form.changed_data}
        changes = {k: getattr(v, "pk", v) for k, v in changes.items()}
        audit_log(
            action="core.organisation.changed" if change else "core.organisation.created",
            actor=request.user,
            obj=obj,
            changes=changes,
        )


@admin.register(ReferenceDataset)
class ReferenceDatasetAdmin(ReadOnlyAdmin):
    list_display = ["name", "source", "version", "checksum", "loaded_at"]
