"""What the OpenAPI schema tells a client, read from the generated schema: the refusals each operation
lists (``core.schema``), the fields that may be null, and the case bodies described from the forms
that check them (``cases.schema``). The fuzzing tests (``api_fuzz``, as every role) hold the server to it."""

import pytest
from django.test import Client

from boai.cases.forms import ReferralForm
from boai.cases.schema import _steps
from boai.cases.workflow import BODY, ORGAN_FLOWS
from boai.core.schema import ERRORS
from boai.core.tests.personas import user

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):  # the test database, never the real one
    with django_db_blocker.unblock():
        return Client().get("/api/schema/?format=json").json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def refs(node):
    """Every component a (part of a) schema refers to."""
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"].rsplit("/", 1)[-1]
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def component(schema, name):
    return schema["components"]["schemas"][name]


def test_every_operation_lists_the_refusals_it_can_give_with_the_error_body(schema):
    seen = central = 0
    for path, method, op in operations(schema):
        seen += 1
        codes = set(op["responses"])
        label = f"{method.upper()} {path}"
        params = op.get("parameters", [])
        assert "401" in codes, label  # a wrong token is refused everywhere
        public_read = method == "get" and {} in op.get("security", [])  # AllowAny: no permission to lack
        assert ("403" in codes) is not public_read, label
        if "{" in path or any(p["name"] == "page" for p in params):
            assert "404" in codes, label
        elif method == "get":
            assert "404" not in codes, label  # nothing to look up, no page to miss
        if method != "get":
            assert {"400", "409"} <= codes, label
        for code in codes - {"200", "201", "202", "204"}:
            response = op["responses"][code]
            body = response["content"]["application/json"]["schema"]  # every refusal is JSON
            if response["description"] == ERRORS[code]:  # not one the view says in its own words
                assert list(refs(body)) == ["Error"], (label, code)
                central += 1
    assert seen > 100 and central > 3 * seen  # the central rule speaks for nearly every refusal
    error = component(schema, "Error")
    assert error["required"] == ["detail"] and set(error["properties"]) == {"detail", "code", "errors"}


def test_lists_are_not_said_to_answer_404_for_an_object_and_public_reads_not_403(schema):
    regions = schema["paths"]["/api/v1/regions/"]["get"]["responses"]
    assert "403" not in regions  # public: no permission to lack
    assert "404" in regions  # a page past the last
    me = schema["paths"]["/api/v1/accounts/me/"]["get"]["responses"]
    assert "404" not in me and "403" in me
    sms = schema["paths"]["/api/v1/public/sms-codes/"]["post"]["responses"]
    assert {"202", "400", "429"} <= set(sms)  # what it really answers, rate limits included


@pytest.mark.parametrize(
    "name, field",
    [
        ("Organisation", "parent"),  # a top-level organisation
        ("Certificate", "unit"),  # a certificate the province issued itself
        ("User", "organization"),
        ("Family", "organ_case"),
        ("Family", "body_case"),
        ("Refusal", "revoked_by_registration"),
        ("Region", "parent"),
    ],
)
def test_fields_that_may_be_empty_say_null(schema, name, field):
    assert component(schema, name)["properties"][field].get("nullable") is True


def test_a_null_field_is_answered_as_the_schema_says(schema):
    client = Client()
    client.force_login(user("prov_admin"))
    organisations = client.get("/api/v1/organisations/?page_size=200").json()["results"]
    assert any(o["parent"] is None for o in organisations)  # the schema above says it may be


def test_opening_a_case_is_described_by_its_form(schema):
    body = schema["paths"]["/api/v1/organ-cases/"]["post"]["requestBody"]
    assert body["required"] is True
    assert set(body["content"]) == {"application/json", "multipart/form-data"}
    described = component(schema, "OrganCaseOpenRequest")
    form = ReferralForm()
    assert set(described["properties"]) == set(form.fields)
    assert set(described["required"]) == {n for n, f in form.fields.items() if f.required}
    assert described["properties"]["referred_at"]["format"] == "date-time"
    assert described["properties"]["hospital"]["maxLength"] == 128
    assert "enum" not in described["properties"]["region"]  # a county code, read from the database


@pytest.mark.parametrize("kind, flows", [("organ", ORGAN_FLOWS.values()), ("body", [BODY])])
def test_every_step_of_a_case_has_its_body(schema, kind, flows):
    prefix = "OrganCaseStep" if kind == "organ" else "BodyCaseStep"
    path = f"/api/v1/{kind}-cases/{{id}}/transitions/"
    content = schema["paths"][path]["post"]["requestBody"]["content"]
    assert content["multipart/form-data"]["schema"]["$ref"].endswith(f"{prefix}MultipartRequest")
    variants = [component(schema, name) for name in refs(component(schema, f"{prefix}MultipartRequest"))]
    taken = {v["properties"]["to"]["pattern"].strip("^$") for v in variants}
    assert taken == {s.key for flow in flows for s in flow.steps if s.form is not None}
    for variant in variants:
        key = variant["properties"]["to"]["pattern"].strip("^$")
        forms_taken = _steps(kind)[key]
        fields = [{n: f.required for n, f in form().fields.items()} for form in forms_taken]
        assert {"to", "version"} <= set(variant["required"])
        described = {n for n in variant["properties"] if n not in ("to", "version")}
        assert any(set(f) == described for f in fields), key
        assert any({n for n, r in f.items() if r} == set(variant["required"]) - {"to", "version"} for f in fields)
