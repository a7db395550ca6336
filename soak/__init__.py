"""``make soak``: nothing is lost when a worker is killed, two officials save at once,
PostgreSQL or Redis stops. Not part of the test suite: it runs for minutes. See
load/README.md."""
