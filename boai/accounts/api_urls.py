from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import MeView, UserViewSet

router = SimpleRouter()
router.register("accounts/users", UserViewSet, basename="user")
urlpatterns = [path("accounts/me/", MeView.as_view(), name="me"), *router.urls]
