"""The case API's request bodies in the OpenAPI schema, read from the very forms that check them
(``forms``): opening a case takes its workflow's start form, a step (POST ``…/transitions/``) the
step's form with ``to`` and ``version``. Each form field becomes the serializer field that describes
what the form accepts (type, required, enum, length, range), so a client generated from the schema
sends what the form takes. The rules a form checks across fields (a date not in the future, not before
the birth date, the votes of an ethics committee) and the workflow's rules (409) are told in the
descriptions, not in JSON Schema.

Two media types: JSON (lists as JSON lists; no files, so a step whose form requires a scan is taken
as multipart only) and multipart/form-data (a list of rows as JSON text, names as text separated by
commas or one per line, each scan its own part, a row's scan ``<field>-<row>-<name>``)."""

from django import forms
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from boai.core.schema import ErrorAutoSchema

from .forms import NamesField, RowsField
from .models import BodyCase, OrganCase
from .workflow import BODY, ORGAN_FLOWS, WORKFLOWS

JSON, MULTIPART = "application/json", "multipart/form-data"

# choice sets a form shares with a model, named once in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]
DONATION_CATEGORIES = OrganCase.Category
BODY_USES = BodyCase.Use

RULES_ACROSS_FIELDS = (
    "The form also checks its fields together (for example a time not in the future, and not before the "
    "birth date): such a refusal is a 400 naming the field. The workflow's rules answer 409."
)


def _choices(field) -> list[tuple[str, str]]:
    """A choice field's values, groups flattened, the empty "choose" entry left out."""
    out = []
    for value, label in field.choices:
        if isinstance(label, list | tuple):
            out.extend((v, lbl) for v, lbl in label if v != "")
        elif value != "":
            out.append((value, label))
    return out


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.replace("-", "_").split("_"))


def _field(form_class, name: str, field, media_type: str, component: str):
    """The serializer field describing what the form field ``field`` accepts in ``media_type``, or
    None when it cannot travel in it (a file in JSON)."""
    kwargs = {"required": field.required, "help_text": " ".join(str(t) for t in (field.label, field.help_text) if t)}
    text = {"allow_blank": not field.required}
    if isinstance(field, forms.FileField):
        return serializers.FileField(**kwargs) if media_type == MULTIPART else None
    if isinstance(field, RowsField):
        if media_type == MULTIPART:
            kwargs["help_text"] += " A JSON list of rows as text; a row's scan as its own part <field>-<row>-<name>."
            return serializers.CharField(**kwargs, **text)
        row = form_serializer(field.row_form, media_type, f"{component}{_camel(name)}Row")
        return serializers.ListField(
            child=row(),
            allow_empty=not field.required and not field.min_rows,
            min_length=field.min_rows or (1 if field.required else None),
            max_length=field.max_rows,
            **kwargs,
        )
    if isinstance(field, NamesField):
        if media_type == MULTIPART:
            kwargs["help_text"] += " Names separated by commas or 、, or one per line."
            return serializers.CharField(**kwargs, **text)
        least = max(field.min_names, 1 if field.required else 0)
        return serializers.ListField(
            child=serializers.CharField(max_length=64),
            allow_empty=not least,
            min_length=least or None,
            max_length=field.MAX_NAMES,
            **kwargs,
        )
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**kwargs)
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(min_value=field.min_value, max_value=field.max_value, **kwargs)
    if isinstance(field, forms.DateTimeField):
        return serializers.DateTimeField(**kwargs)
    if isinstance(field, forms.DateField):
        return serializers.DateField(**kwargs)
    if isinstance(field, forms.ModelChoiceField):
        pk = field.queryset.model._meta.pk
        kwargs["help_text"] += f" The id of a {field.queryset.model._meta.verbose_name}."
        if isinstance(pk, models_integer_fields()):
            return serializers.IntegerField(**kwargs)
        return serializers.CharField(**kwargs, **text)
    if isinstance(field, forms.MultipleChoiceField):
        return serializers.MultipleChoiceField(choices=_choices(field), allow_empty=not field.required, **kwargs)
    if isinstance(field, forms.ChoiceField):
        if not form_class.base_fields.get(name, field).choices and name in form_class.base_fields:
            # choices read from the database when the form is made (the counties): a code, not an enum
            kwargs["help_text"] += " A code the list of regions gives (GET /api/v1/regions/?level=county)."
            return serializers.CharField(**kwargs, **text)
        return serializers.ChoiceField(choices=_choices(field), allow_blank=not field.required, **kwargs)
    if isinstance(field, forms.CharField):
        return serializers.CharField(max_length=field.max_length, min_length=field.min_length, **kwargs, **text)
    return serializers.CharField(**kwargs, **text)


def models_integer_fields():
    from django.db import models

    return models.AutoField | models.BigAutoField | models.IntegerField


def form_serializer(form_class, media_type: str, component: str, extra: tuple = ()):
    """A serializer class describing ``form_class``'s body in ``media_type``, named ``component``;
    ``extra``: (name, serializer field) pairs put first (a step's ``to`` and ``version``)."""
    form = form_class()
    attrs = dict(extra)
    for name, field in form.fields.items():
        described = _field(form_class, name, field, media_type, component)
        if described is not None:
            attrs[name] = described
    attrs["__doc__"] = " ".join(str(t) for t in (form_class.__doc__ or "", RULES_ACROSS_FIELDS) if t).strip()
    return type(component, (serializers.Serializer,), attrs)


def _requires_file(form_class) -> bool:
    return any(isinstance(f, forms.FileField) and f.required for f in form_class().fields.values())


def open_bodies(kind: str) -> dict:
    """The bodies that open a case of ``kind`` (its workflow's start form), by media type."""
    form_class = WORKFLOWS[kind].start_form
    name = f"{_camel(kind)}CaseOpen"
    bodies = {MULTIPART: form_serializer(form_class, MULTIPART, f"{name}Multipart")}
    if not _requires_file(form_class):
        bodies = {JSON: form_serializer(form_class, JSON, name), **bodies}
    return bodies


def _steps(kind: str) -> dict:
    """Every step a case of ``kind`` may take, by the name POST ``…/transitions/`` takes as ``to``:
    each form it takes, with the workflows (an organ case's donation categories) whose step takes it."""
    flows = ORGAN_FLOWS.items() if kind == "organ" else (("", BODY),)
    steps: dict[str, dict] = {}
    for category, flow in flows:
        for step in flow.steps:
            if step.form is not None:
                steps.setdefault(step.key, {}).setdefault(step.form, []).append(category)
    return steps


def _step_name_field(key: str):
    """``to`` as exactly ``key`` (a pattern, not an enum: one enum per step would crowd the schema's
    enums with names drf-spectacular has to make up)."""
    return extend_schema_field({"type": "string", "pattern": f"^{key}$", "example": key})(
        type(f"StepName{_camel(key)}Field", (serializers.CharField,), {})
    )


def step_bodies(kind: str) -> dict:
    """The bodies of POST ``…/transitions/``: one per step (and, where a step's form depends on the
    case's donation category, one per form), by media type."""
    bodies = {}
    for media_type, suffix in ((JSON, ""), (MULTIPART, "Multipart")):
        variants = []
        for key, forms_taken in sorted(_steps(kind).items()):
            for form_class, categories in forms_taken.items():
                if media_type == JSON and _requires_file(form_class):
                    continue
                when = ""
                if len(forms_taken) > 1:
                    when = f" (a case of donation category {', '.join(sorted(categories))})"
                extra = (
                    ("to", _step_name_field(key)(help_text="the step to take" + when)),
                    ("version", serializers.IntegerField(help_text="the case's version as you read it")),
                )
                name = _camel(key) + (form_class.__name__ if len(forms_taken) > 1 else "")
                variants.append(form_serializer(form_class, media_type, f"{_camel(kind)}Step{name}{suffix}", extra))
        bodies[media_type] = PolymorphicProxySerializer(
            component_name=f"{_camel(kind)}CaseStep{suffix}",
            serializers=variants,
            resource_type_field_name=None,  # a step's name may take another form in another category
        )
    return bodies


class CaseSchema(ErrorAutoSchema):
    """The case viewsets' schema: the bodies of opening a case and of a step, from their forms."""

    def get_request_serializer(self):
        if self.method == "POST" and self.view.action == "create":
            return open_bodies(self.view.kind)
        if self.method == "POST" and self.view.action == "transitions":
            return step_bodies(self.view.kind)
        return super().get_request_serializer()

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation and "requestBody" in operation:  # every body has its required fields (``to``, ``version``)
            operation["requestBody"]["required"] = True
        return operation
