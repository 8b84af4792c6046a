"""The domain core: models, unit of work and the services that hold every rule."""
