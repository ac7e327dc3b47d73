"""/api/schema/: every operation lists its error answers, with examples; responses match what is sent."""

from __future__ import annotations

import pytest

from enterprises.models import Enterprise
from tests.inspections.factories import EnterpriseFactory
from tests.microstations.factories import VolunteerFactory

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def schema(api_client, office_a):
    api_client.force_authenticate(office_a)
    response = api_client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_every_operation_documents_400_401_403_and_404_with_an_example(schema):
    missing = [
        (path, method, code)
        for path, method, operation in operations(schema)
        for code in ("400", "401", "403", "404")
        if code not in operation["responses"]
    ]
    assert not missing
    example = schema["paths"]["/api/v1/inspections/"]["post"]["responses"]["400"]["content"][
        "application/json"
    ]
    assert example["schema"] == {"$ref": "#/components/schemas/ValidationError"}
    assert example["examples"]["ValidationError"]["value"]["date"]


def test_writes_to_records_document_409_and_reads_do_not(schema):
    item = schema["paths"]["/api/v1/inspections/{id}/"]
    assert {"put", "patch", "delete"} <= {m for m in METHODS if "409" in item.get(m, {}).get("responses", {})}
    assert "409" not in item["get"]["responses"]
    for action in ("submit", "approve", "return", "photos"):
        assert "409" in schema["paths"][f"/api/v1/inspections/{{id}}/{action}/"]["post"]["responses"]
    assert "409" in schema["paths"]["/api/v1/reports/{id}/download/"]["get"]["responses"]


def test_photo_upload_is_documented_as_multipart(schema):
    body = schema["paths"]["/api/v1/station-activities/{id}/photos/"]["post"]["requestBody"]["content"]
    assert list(body) == ["multipart/form-data"]


def test_masked_phones_are_within_the_response_schema(api_client, leader, schema):
    component = schema["components"]["schemas"]["Volunteer"]["properties"]["phone"]
    request_component = schema["components"]["schemas"]["VolunteerRequest"]["properties"]["phone"]
    VolunteerFactory(phone="13812345678")
    api_client.force_authenticate(leader)

    shown = api_client.get("/api/v1/volunteers/").json()["results"][0]["phone"]

    assert shown == "138****5678"
    assert "pattern" not in component
    assert request_component["pattern"]


def test_an_enterprise_without_a_code_is_within_the_response_enum(api_client, office_a, schema):
    EnterpriseFactory(name="神女市场3号摊位", kind=Enterprise.Kind.STALL, credit_code="")
    field = schema["components"]["schemas"]["Enterprise"]["properties"]["registration_authority"]
    refs = {choice["$ref"].rsplit("/", 1)[1] for choice in field["oneOf"]}
    blank = schema["components"]["schemas"]["BlankEnum"]["enum"]

    row = api_client.get("/api/v1/enterprises/").json()["results"][0]

    assert row["registration_authority"] == ""
    assert "BlankEnum" in refs
    assert "" in blank


def test_the_plan_writes_are_documented_with_examples(schema):
    """Campaign dates, task deadlines and party groups (bureau admin only): a request example each, and
    the 400/403/404 answers."""
    for path, method, field in [
        ("/api/v1/campaigns/{id}/", "patch", "end_date"),
        ("/api/v1/tasks/{id}/", "patch", "unit_due_dates"),
        ("/api/v1/party-groups/", "post", "unit_kinds"),
        ("/api/v1/party-groups/{id}/", "patch", "unit_kinds"),
    ]:
        operation = schema["paths"][path][method]
        examples = operation["requestBody"]["content"]["application/json"]["examples"]
        assert any(field in example["value"] for example in examples.values()), (path, method)
        assert {"400", "403", "404"} <= set(operation["responses"])
    assert "delete" not in schema["paths"]["/api/v1/party-groups/{id}/"]
    task_request = schema["components"]["schemas"]["PatchedTaskRequest"]["properties"]
    assert set(task_request) == {"due_date", "unit_due_dates"}


def test_the_rest_of_the_plan_is_documented_with_examples(schema):
    """Milestones, reporting windows and 工作要求 (issue 17 follow-up): a request example each, the
    400/403/404 answers, deletes documented, the report taking JSON or multipart (photos)."""
    for path, method, field in [
        ("/api/v1/milestones/", "post", "due_date"),
        ("/api/v1/milestones/{id}/", "patch", "title"),
        ("/api/v1/reporting-windows/generate/", "post", "weekly_until"),
        ("/api/v1/requirements/{id}/", "patch", "met"),
        ("/api/v1/requirements/{id}/report/", "post", "progress"),
    ]:
        operation = schema["paths"][path][method]
        examples = operation["requestBody"]["content"]["application/json"]["examples"]
        assert any(field in example["value"] for example in examples.values()), (path, method)
        assert {"400", "403", "404"} <= set(operation["responses"]), (path, method)
    for path in ("/api/v1/milestones/{id}/", "/api/v1/reporting-windows/{id}/"):
        assert {"403", "404"} <= set(schema["paths"][path]["delete"]["responses"])
    report = schema["paths"]["/api/v1/requirements/{id}/report/"]["post"]["requestBody"]["content"]
    assert set(report) == {"application/json", "multipart/form-data"}
    assert "post" not in schema["paths"]["/api/v1/reporting-windows/"]
    assert "delete" not in schema["paths"]["/api/v1/requirements/{id}/"]
