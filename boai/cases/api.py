"""Case API: ``/api/v1/organ-cases/`` and ``/api/v1/body-cases/``. Opening a case takes the same fields as
the staff page; ``…/{id}/transitions/`` lists the steps allowed now with their fields (GET) and takes
one step (POST ``{"to": STATE, "version": N, …fields}``): 409 names the rule that refused it, 400 the
fields that are missing or malformed."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from boai.accounts.permissions import require
from boai.accounts.scoping import get_for_user
from boai.core.interface import parse_version

from . import selectors, services
from .forms import describe
from .schema import CaseSchema
from .serializers import (
    BodyCaseSerializer,
    OrganCaseSerializer,
    TransitionsSerializer,
)
from .workflow import WORKFLOWS, workflow_for


def _form_errors(form) -> ValidationError:
    return ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})


def _require_object(request) -> None:
    if not isinstance(request.data, dict):
        raise ValidationError({"non_field_errors": [_("Send a JSON object or a form.")]})


class CaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    kind = ""
    schema = CaseSchema()  # the bodies of opening a case and of a step, read from their forms
    permission_classes = [require("cases.view")]

    @property
    def flow(self):
        return WORKFLOWS[self.kind]

    def get_permissions(self):
        if self.action == "create":
            return [require(self.flow.start_perm)()]
        return super().get_permissions()

    def get_queryset(self):
        state = self.request.query_params.get("state", "")
        if state and state not in self.flow.model.State.values:
            raise ValidationError({"state": [_("Unknown state.")]})
        return selectors.case_list(user=self.request.user, kind=self.kind, state=state).prefetch_related(
            "steps__signers"
        )

    def get_object(self):
        return get_for_user(self.request.user, self.flow.model, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        """Open a case: the fields are those of the staff page (see the OpenAPI description)."""
        _require_object(request)
        form = self.flow.start_form(data=request.data, files=request.FILES)
        if not form.is_valid():
            raise _form_errors(form)
        if self.kind == "organ":
            case = services.organ_case_refer(actor=request.user, data=form.cleaned_data)
        else:
            case = services.body_case_notify(actor=request.user, data=form.cleaned_data)
        return Response(self.get_serializer(case).data, status=201)

    @extend_schema(methods=["get"], responses=TransitionsSerializer, request=None)
    @action(detail=True, methods=["get", "post"], schema=CaseSchema())
    def transitions(self, request, pk=None):
        """GET: the steps that may follow now, each with its fields, its rules, and whether this user
        may take it. POST: take one step."""
        case = self.get_object()
        if request.method == "GET":
            choices = selectors.steps_for(case=case, user=request.user)
            return Response(
                {
                    "state": case.state,
                    "version": case.version,
                    "transitions": [
                        {
                            "to": c.step.key,
                            "label": c.label,
                            "exit": c.step.exit,
                            "allowed": c.allowed,
                            "blocked": c.blocked,
                            "rules": [{"code": code, "text": text} for code, text in c.rules],
                            "fields": describe(c.step.form),
                        }
                        for c in choices
                    ],
                }
            )
        _require_object(request)
        to = request.data.get("to")
        if not isinstance(to, str) or (workflow_for(case).step(to) is None and to not in self.flow.model.State.values):
            raise ValidationError({"to": [_("Name one of the steps of this case's workflow.")]})
        version = parse_version(request.data.get("version"))
        if version is None:
            raise ValidationError({"version": [_("Send the case's version as you read it.")]})
        step = services.step_guard(case=case, to=to, actor=request.user, version=version)
        form = step.form(data=request.data, files=request.FILES)
        if not form.is_valid():
            raise _form_errors(form)
        case = services.case_step(case=case, to=to, data=form.cleaned_data, actor=request.user, version=version)
        return Response(self.get_serializer(case).data)


class OrganCaseViewSet(CaseViewSet):
    kind = "organ"
    serializer_class = OrganCaseSerializer


class BodyCaseViewSet(CaseViewSet):
    kind = "body"
    serializer_class = BodyCaseSerializer
