"""Widget tests: the `qloop` and `wait_for` fixtures live in tests/conftest.py."""
