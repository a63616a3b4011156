from .views import dashboard, pathway, population, report

app_name = "stats"
urlpatterns = dashboard.urlpatterns + report.urlpatterns + pathway.urlpatterns + population.urlpatterns
