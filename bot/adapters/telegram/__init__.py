"""Telegram: the python-telegram-bot adapter, its conversions, replies, rate limits and outbox delivery."""
