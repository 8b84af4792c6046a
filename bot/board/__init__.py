"""The board page: a read-only web view of the sustainability board for an office screen."""
