from django.urls import path, register_converter

from . import views


class KindConverter:
    regex = "organ|body"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(KindConverter, "kind")

app_name = "cases"
urlpatterns = [
    path("unit-staff/", views.unit_staff, name="unit_staff"),
    path("<kind:kind>/", views.case_list, name="list"),
    path("<kind:kind>/new/", views.case_open, name="open"),
    path("<kind:kind>/<int:pk>/", views.case_detail, name="detail"),
    path("<kind:kind>/<int:pk>/steps/<str:to>/", views.case_step, name="step"),
    path("<kind:kind>/<int:pk>/attachments/<int:attachment_id>/", views.case_attachment, name="attachment"),
]
