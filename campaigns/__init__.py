"""Time-driven engines: campaigns, competitions, polls, reminders and progress digests."""
