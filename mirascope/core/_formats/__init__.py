"""Wire formats spoken by more than one provider, as pure conversions (no SDK imports)."""
