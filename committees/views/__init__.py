"""The pages of the committees app, one module per sub-domain; the record kinds' list,
detail and forms are the generic pages of ``platform.records``."""
