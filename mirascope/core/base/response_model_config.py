"""``ResponseModelConfigDict``: a response model's say in how it is asked for."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict


class ResponseModelConfigDict(ConfigDict, total=False):
    """``model_config`` of a response model: pydantic's settings plus ``output_mode``
    (``"strict"``: the vendor's JSON-schema mode, ``"json"``: JSON mode with the schema in
    the prompt, ``"tool"``: a forced tool call). ``strict=True`` alone asks for the strict
    mode, as in Mirascope v1. A call's ``output_mode=`` overrides both."""

    output_mode: Literal["strict", "json", "tool"]
