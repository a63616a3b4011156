from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from boai.accounts.urls import workspace_urlpatterns as account_pages
from boai.certificates.urls import public_urlpatterns as certificate_public
from boai.core import views as core_views
from boai.lib.plugins import api_url_modules

handler400 = "boai.core.views.bad_request"
handler403 = "boai.core.views.permission_denied"
handler404 = "boai.core.views.page_not_found"
handler500 = "boai.core.views.server_error"

# Every app's REST endpoints (``<app>/api_urls.py``) under /api/v1/, collected: a new programme's
# API needs no line here.
api_v1 = [path("", include(name)) for name in api_url_modules()]

urlpatterns = [
    path("", include("boai.core.urls")),
    path("", include("boai.registry.portal_urls")),
    path("", include((certificate_public, "certificates"), namespace="public_certificates")),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("metrics", core_views.metrics, name="metrics"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("boai.accounts.urls")),
    path("workspace/", include("boai.workspace.urls")),
    path("workspace/accounts/", include((account_pages, "staff_accounts"))),
    path("workspace/audit/", include("boai.audit.urls")),
    path("workspace/registrations/", include("boai.registry.urls")),
    path("workspace/cases/", include("boai.cases.urls")),
    path("workspace/certificates/", include("boai.certificates.urls")),
    path("workspace/coordinators/", include("boai.coordinators.urls")),
    path("workspace/care/", include("boai.care.urls")),
    path("workspace/memorials/", include("boai.memorials.urls")),
    path("workspace/outreach/", include("boai.outreach.urls")),
    path("workspace/stats/", include("boai.stats.urls")),
    path("ledger/", include(("boai.care.public_urls", "ledger"))),
    path("memorial/", include(("boai.memorials.public_urls", "memorial"))),
    path("c/", include(("boai.outreach.public_urls", "campaign"))),
    path("open-data/", include(("boai.stats.public_urls", "open_data"))),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
