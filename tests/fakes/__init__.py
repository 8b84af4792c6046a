"""Fake platform servers used by the tests."""
