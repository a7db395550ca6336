"""The generic layer every app builds on: record kinds and their pages (``records``), the
API's scoped viewsets (``api``), shared filters, the change history, upload checks, XLSX,
widgets and percentages. It imports only the areas and access models
(``committees.models.areas``, ``.access``); no domain module of any app."""
