from .views import sites, wall

app_name = "memorials"
urlpatterns = sites.urlpatterns + wall.urlpatterns
