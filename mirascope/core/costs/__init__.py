"""What a call cost: ``calculate_cost(provider, model, input_tokens, output_tokens,
cached_tokens)`` over a price table (``prices.json``: USD per million tokens, each price
with the date it was read and its source). A response's ``cost`` calls it on first
access; nothing here loads before that.

Unknown models cost None, never a guess; see ``_lookup.py`` for how names are matched
(dated snapshots are priced as their model)."""

from ._calculate import calculate_cost
from ._lookup import ModelPrice, Tier, model_price

__all__ = ["ModelPrice", "Tier", "calculate_cost", "model_price"]
