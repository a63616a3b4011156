from .api import annual

urlpatterns = annual.urlpatterns
