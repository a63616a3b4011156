from rest_framework import generics, viewsets
from rest_framework.response import Response

from boai.core.ratelimits import SearchThrottle

from . import selectors
from .permissions import IsStaffAccount, require
from .serializers import UserSerializer


class MeView(generics.GenericAPIView):
    """The calling account: role and organisation."""

    serializer_class = UserSerializer
    permission_classes = [IsStaffAccount]

    def get(self, request):
        return Response(UserSerializer(request.user).data)


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """Accounts: visible to the system and security administrators only."""

    serializer_class = UserSerializer
    permission_classes = [require("accounts.view")]
    throttle_classes = [SearchThrottle]  # counts a list asked with q

    def get_queryset(self):
        return selectors.user_list(search=self.request.query_params.get("q", ""))
