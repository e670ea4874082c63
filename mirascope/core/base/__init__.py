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
    MediaError,
    MirascopeError,
    MissingCredentialsError,
    MissingExtraError,
    RefusalError,
    ToolArgumentsError,
    TruncatedOutputError,
    UnexpectedResponseError,
    UnknownProviderError,
    UnknownToolError,
    UnsupportedPartError,
)
from .merge_decorators import merge_decorators
from .messages import (
    AudioPart,
    AudioURLPart,
    BaseMessageParam,
    CacheControlPart,
    ContentPart,
    DocumentPart,
    ImagePart,
    ImageURLPart,
    Messages,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
)
from .prompt import BasePrompt, Metadata, metadata
from .prompt_template import PromptTemplateError, TemplateFormatError, prompt_template
from .response_model_config import ResponseModelConfigDict
from .stream import BaseCallResponseChunk, BaseStream
from .stream_config import StreamConfig
from .tool import BaseTool
from .toolkit import BaseToolKit, toolkit_tool
from .usage import CostMetadata, Usage

__all__ = [
    "AudioPart",
    "AudioURLPart",
    "BaseCallResponse",
    "BaseCallResponseChunk",
    "BaseDynamicConfig",
    "BaseMessageParam",
    "BasePrompt",
    "BaseStream",
    "BaseTool",
    "BaseToolKit",
    "CacheControlPart",
    "ClientKindError",
    "ContentPart",
    "CostMetadata",
    "DocumentPart",
    "EmptyPromptError",
    "EmptyResponseError",
    "ImagePart",
    "ImageURLPart",
    "IncompleteStreamError",
    "InvalidCallError",
    "InvalidTextError",
    "MediaError",
    "Messages",
    "Metadata",
    "MirascopeError",
    "MissingCredentialsError",
    "MissingExtraError",
    "PromptTemplateError",
    "RefusalError",
    "ResponseModelConfigDict",
    "StreamConfig",
    "TemplateFormatError",
    "TextPart",
    "ThinkingPart",
    "ToolArgumentsError",
    "ToolCallPart",
    "ToolResultPart",
    "TruncatedOutputError",
    "UnexpectedResponseError",
    "UnknownProviderError",
    "UnknownToolError",
    "UnsupportedPartError",
    "Usage",
    "merge_decorators",
    "metadata",
    "prompt_template",
    "toolkit_tool",
]
