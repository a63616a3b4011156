from django.urls import path

from . import national_views, transfer_views, views

app_name = "registry"
urlpatterns = [
    path("", views.registration_list, name="list"),
    path("new/", views.registration_create, name="create"),
    path("duplicates/", views.duplicate_list, name="duplicates"),
    path("refusals/", views.refusal_list, name="refusals"),
    path("refusals/new/", views.refusal_create, name="refusal_create"),
    path("duplicates/<int:pk>/", views.duplicate_decide, name="duplicate_decide"),
    path("duplicates/held/<int:pk>/", views.held_decide, name="held_decide"),
    path("import/", transfer_views.import_start, name="import"),
    path("import/template.xlsx", transfer_views.import_template, name="import_template"),
    path("import/<int:pk>/", transfer_views.import_job, name="import_job"),
    path("import/<int:pk>/report.xlsx", transfer_views.import_report, name="import_report"),
    path("import/<int:pk>/commit/", transfer_views.import_commit, name="import_commit"),
    path("import/<int:pk>/resume/", transfer_views.import_resume, name="import_resume"),
    path("import/<int:pk>/cancel/", transfer_views.import_cancel, name="import_cancel"),
    path("national/", national_views.national_page, name="national"),
    path("national/export/", national_views.national_export, name="national_export"),
    path("national/numbers/", national_views.national_numbers, name="national_numbers"),
    path("export.<str:fmt>", transfer_views.export, name="export"),
    path("export/full/", transfer_views.export_unmasked, name="export_unmasked"),
    path("<int:pk>/", views.registration_detail, name="detail"),
    path("<int:pk>/unmask/", views.registration_unmask, name="unmask"),
    path("<int:pk>/change/", views.registration_amend, name="amend"),
    path("<int:pk>/withdraw/", views.registration_withdraw, name="withdraw"),
    path("<int:pk>/deceased/", views.registration_deceased, name="deceased"),
    path("<int:pk>/national-number/", national_views.registration_national_number, name="national_number"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.registration_attachment, name="attachment"),
]
