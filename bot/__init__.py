"""engagebot: a staff-engagement bot for workplace sustainability programmes."""
