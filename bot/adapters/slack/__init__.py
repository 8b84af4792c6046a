"""Slack: the bolt AsyncApp adapter, its conversions, modals, replies and outbox delivery."""
