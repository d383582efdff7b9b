"""kenzy."""
