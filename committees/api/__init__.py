"""The committees app's REST API, one module per sub-domain (routes: qcdc_portal/urls.py)."""
