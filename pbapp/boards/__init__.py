"""boards domain."""
