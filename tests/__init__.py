"""engagebot test suite."""
