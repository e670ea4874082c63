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
    RefusalError,
    ToolArgumentsError,
    TruncatedOutputError,
    UnexpectedResponseError,
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
from .response_model_config import ResponseModelConfigDict
from .stream import BaseCallResponseChunk, BaseStream
from .stream_config import StreamConfig
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
    "RefusalError",
    "ResponseModelConfigDict",
    "StreamConfig",
    "TemplateFormatError",
    "TextPart",
    "ToolArgumentsError",
    "ToolCallPart",
    "ToolResultPart",
    "TruncatedOutputError",
    "UnexpectedResponseError",
    "UnknownToolError",
    "Usage",
    "prompt_template",
]
