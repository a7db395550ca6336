"""Documents issued for leadership and direction in the API; files as multipart."""

from rest_framework import serializers

from ..filters import DocumentFilter
from ..models import Document
from ..platform.api import (
    ScopedModelSerializer,
    ScopedModelViewSet,
    UploadSerializerMixin,
)


class DocumentSerializer(UploadSerializerMixin, ScopedModelSerializer):
    area_code = serializers.CharField(source="area.code", read_only=True)
    file = serializers.FileField(write_only=True, required=False)
    download_url = serializers.CharField(source="get_download_url", read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "area",
            "area_code",
            "kind",
            "number",
            "issued_on",
            "issuer",
            "summary",
            "file",
            "original_name",
            "download_url",
        ]
        read_only_fields = ["original_name"]
        validators = []  # the number's uniqueness is checked by record_save, in Vietnamese


class DocumentViewSet(ScopedModelViewSet):
    """Documents issued for leadership and direction; upload the file as multipart."""

    model = Document
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    ordering_fields = ["issued_on", "number"]
    ordering = ["-issued_on", "-id"]
