"""Platform adapters: convert platform events to neutral messages and render replies back."""
