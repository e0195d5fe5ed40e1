"""Page-number pagination with bounded page sizes and clear errors for pages that do not exist."""

import math
import re

from django.conf import settings
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response


def is_whole_number(raw: str) -> bool:
    """ASCII digits of a sensible length: str.isdigit also accepts "²", and int() refuses 5,000 digits."""
    return re.fullmatch(r"[0-9]{1,12}", raw) is not None


class PageNumberPagination(pagination.PageNumberPagination):
    page_query_param = "page"
    page_size_query_param = "page_size"

    @property
    def page_size(self):
        return settings.API_PAGE_SIZE

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        if not is_whole_number(raw) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"Must be a whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        raw = request.query_params.get(self.page_query_param, "1") or "1"
        if raw == "last":
            raw = str(max(1, math.ceil(queryset.count() / page_size)))
        if not is_whole_number(raw) or int(raw) < 1:
            raise ValidationError({self.page_query_param: ['Must be a whole number from 1, or "last".']})
        paginator = self.django_paginator_class(queryset, page_size)
        number = int(raw)
        if number > paginator.num_pages:
            raise NotFound(f"Page {number} does not exist: there are {paginator.num_pages} pages of {page_size}.")
        self.page = paginator.page(number)
        return list(self.page)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "page": self.page.number,
                "pages": self.page.paginator.num_pages,
                "page_size": self.page.paginator.per_page,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "page", "pages", "page_size", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "example": 123},
                "page": {"type": "integer", "example": 1},
                "pages": {"type": "integer", "example": 3},
                "page_size": {"type": "integer", "example": 50},
                "next": {"type": ["string", "null"], "format": "uri"},
                "previous": {"type": ["string", "null"], "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": 'Page number, from 1 (or "last"). A page past the last answers 404.',
                "schema": {"type": "string", "pattern": r"^([1-9][0-9]*|last)$"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, 1 to {self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
