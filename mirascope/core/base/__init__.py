"""The provider-neutral vocabulary: messages, templates, tools, responses, streams."""

from .call_response import BaseCallResponse
from .dynamic_config import BaseDynamicConfig
from .errors import (
    ClientKindError,
    EmptyResponseError,
    IncompleteStreamError,
    MirascopeError,
    MissingCredentialsError,
    MissingExtraError,
    ToolArgumentsError,
    UnknownToolError,
)
from .messages import (
    BaseMessageParam,
    ContentPart,
    ImagePart,
    Messages,
    TextPart,
    ToolCallPart,
    ToolResultPart,
)
from .prompt_template import PromptTemplateError, prompt_template
from .stream import BaseCallResponseChunk, BaseStream
from .tool import BaseTool
from .usage import Usage

__all__ = [
    "BaseCallResponse",
    "BaseCallResponseChunk",
    "BaseDynamicConfig",
    "BaseMessageParam",
    "BaseStream",
    "BaseTool",
    "ClientKindError",
    "ContentPart",
    "EmptyResponseError",
    "IncompleteStreamError",
    "ImagePart",
    "Messages",
    "MirascopeError",
    "MissingCredentialsError",
    "MissingExtraError",
    "PromptTemplateError",
    "TextPart",
    "ToolArgumentsError",
    "ToolCallPart",
    "ToolResultPart",
    "UnknownToolError",
    "Usage",
    "prompt_template",
]
