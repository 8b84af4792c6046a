"""Alembic migrations; they ship inside the package so that `engagebot db upgrade` works anywhere."""
