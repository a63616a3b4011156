from .views import families, followups, ledger, payments

app_name = "care"
urlpatterns = families.urlpatterns + followups.urlpatterns + payments.urlpatterns + ledger.urlpatterns
