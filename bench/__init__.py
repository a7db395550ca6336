"""The national-scale benchmark of the portal: ``python -m bench [--small] [--json PATH]``.

It builds its own PostgreSQL database with the whole real area tree and millions of
generated records, then measures what the quality bars of DESIGN.md promise (summaries
computed in the database, constant-query lists, cursor pages that stay fast when deep,
an interactive dashboard) against a baseline run in the same process, so that the
ratios, not the absolute times of one machine, are what people compare. See README.md.
"""
