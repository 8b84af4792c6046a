"""The board page in Debian's headless Chromium, driven by Selenium against the real runtime."""
