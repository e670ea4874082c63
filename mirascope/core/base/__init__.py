"""The provider-neutral vocabulary: messages, templates, tools, responses, streams."""

from .call_response import BaseCallResponse
from .dynamic_config import BaseDynamicConfig
from .errors import (
    ClientKindError,
    EmptyPromptError,
    EmptyResponseError,
    IncompleteStreamError,
    InvalidCallError,
    InvalidTextError,
    MirascopeError,
    MissingCredentialsError,
    MissingExtraError,
    ToolArgumentsError,
    UnexpectedResponseError,
    UnknownProviderError,
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
from .prompt_template import PromptTemplateError, TemplateFormatError, prompt_template
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
    "EmptyPromptError",
    "EmptyResponseError",
    "IncompleteStreamError",
    "InvalidCallError",
    "InvalidTextError",
    "ImagePart",
    "Messages",
    "MirascopeError",
    "MissingCredentialsError",
    "MissingExtraError",
    "PromptTemplateError",
    "TemplateFormatError",
    "TextPart",
    "ToolArgumentsError",
    "ToolCallPart",
    "ToolResultPart",
    "UnexpectedResponseError",
    "UnknownProviderError",
    "UnknownToolError",
    "Usage",
    "prompt_template",
]
