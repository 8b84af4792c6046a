"""Platform tests: the real slack-bolt and python-telegram-bot stacks against the fakes over loopback."""
