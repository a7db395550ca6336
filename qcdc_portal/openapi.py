"""The API's OpenAPI schema: drf-spectacular's, plus what it leaves out and the API does.

drf-spectacular documents only the successful answer of each operation. The API also
answers 400 with field errors, 401 without credentials, 403 when the caller's role only
reads, and 404 for a record outside the caller's scope or a page that does not exist;
a client generated from the schema must know these shapes too (tests/security/
test_api_fuzz.py holds every answer to the schema).
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent, is_list_serializer

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": (
        "Each invalid field with its messages (nested like the input for nested fields and "
        "lists); errors not tied to one field under `non_field_errors`; input that cannot be "
        "read at all under `detail`."
    ),
    "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "array"}, {"type": "object"}]},
}


class AutoSchema(SpectacularAutoSchema):
    """Adds the error answers to every operation, says that filters and pages take an
    empty value, and gives ``minItems`` to input lists that may not be empty."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description, component in self._error_responses():
            self.registry.register_on_missing(component)
            responses.setdefault(
                code,
                {
                    "description": description,
                    "content": {"application/json": {"schema": component.ref}},
                },
            )
        return responses

    def _error_responses(self):
        detail = _component("ErrorDetail", DETAIL)
        unsafe = self.method in UNSAFE_METHODS
        if unsafe or self._get_filter_parameters():
            yield "400", "Invalid input or filter.", _component("FieldErrors", FIELD_ERRORS)
        if self.view.permission_classes:
            yield "401", "No valid credentials.", detail
            if unsafe or getattr(self.view, "action", None) not in (None, "list", "retrieve"):
                yield "403", "The caller's role does not allow this.", detail
        if "{" in self.path or self._get_pagination_parameters():
            yield "404", "Not found in the caller's scope, or no such page.", detail

    def _get_filter_parameters(self):
        # django-filter reads an empty value as "no filter" (the pages' "Tất cả" option).
        return [{**p, "allowEmptyValue": True} for p in super()._get_filter_parameters()]

    def _get_pagination_parameters(self):
        # An empty page number or cursor is the first page.
        return [{**p, "allowEmptyValue": True} for p in super()._get_pagination_parameters()]

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and is_list_serializer(field) and not field.allow_empty:
            schema = {**schema, "minItems": 1}
        return schema


def _component(name: str, schema: dict) -> ResolvedComponent:
    return ResolvedComponent(
        name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=f"qcdc_portal.{name}"
    )
