"""The one table of what differs between providers in the docs' examples.

A ```` ```python providers ```` block on a docs page is written once with ``{{ name }}``
placeholders; ``provider_tabs.py`` (the mkdocs hook) turns it into one tab per row of
``PROVIDERS`` below, and ``tests/docs/test_docs.py`` runs every tab against that provider's
fake server. A value of ``None`` means the provider has no such thing: its tab then shows
the reason from ``absent`` instead of code, and the test skips it with that reason."""

from __future__ import annotations

from dataclasses import dataclass, field

_AZURE_CLIENT = """ChatCompletionsClient(
    endpoint=os.environ["AZURE_INFERENCE_ENDPOINT"],
    credential=AzureKeyCredential(os.environ["AZURE_INFERENCE_CREDENTIAL"]),
)"""

_XAI_CLIENT = """{cls}(
    base_url="https://api.x.ai/v1",
    api_key=os.environ["XAI_API_KEY"],
)"""

_AZURE_NO_RETRY = """,
client=ChatCompletionsClient(
    endpoint=os.environ["AZURE_INFERENCE_ENDPOINT"],
    credential=AzureKeyCredential(os.environ["AZURE_INFERENCE_CREDENTIAL"]),
    retry_total=0,
)"""

_LITELLM_NO_CLIENT = (
    "LiteLLM has no client object, so there is nothing to pass as `client`: it reads each "
    "backend's settings from the environment (for OpenAI models `OPENAI_API_KEY` and "
    "`OPENAI_BASE_URL`). See [LiteLLM](providers/litellm.md)."
)
_ONE_CLIENT = (
    "{name}'s one client object serves `def` and `async def` alike, so there is no client "
    "of the wrong kind to pass."
)


@dataclass(frozen=True)
class Provider:
    """One provider: the values its tab substitutes for the placeholders."""

    module: str
    """``mirascope.core.<module>``; also the name of the pip extra."""
    name: str
    """The tab's label (the same name the guide harnesses register under)."""
    prefix: str
    """The start of the provider's type names: ``<prefix>CallResponse``, ..."""
    model: str
    """A model name for ``<module>.call(...)``."""
    sdk: str
    """The pip package(s) the extra installs."""
    env: str
    """The environment variables the default client reads (markdown)."""
    client_model: str | None = None
    """The model string to write when a client is passed (Gemini and Vertex AI take the
    model from their client); ``model`` when None."""
    sync_client_import: str | None = None
    sync_client: str | None = None
    """An expression that builds a sync client."""
    async_client_import: str | None = None
    async_client: str | None = None
    """An expression that builds an async client where the decorator is written."""
    open_async_client_import: str | None = None
    open_async_client: str | None = None
    """An async context manager (``async with ... as client``) that opens an async client
    inside a running event loop."""
    one_client_for_both: bool = False
    """Whether one client object serves both sync and async calls."""
    bad_request_error: str = ""
    """What ``type(error).__module__ + "." + type(error).__qualname__`` prints for a 400
    answer: the SDK's own exception."""
    stream_cut_import: str = ""
    stream_cut_error: str = ""
    """The exception family the SDK documents for a connection lost mid-stream (what an
    ``except`` clause names), imported by ``stream_cut_import``."""
    priced_model: str = ""
    """A model of ``mirascope/core/costs/prices.json``, for the cost examples."""
    usage_type: str = ""
    """The class name of ``response.usage``: the SDK's own usage object."""
    example_cost: str = ""
    """What ``round(response.cost, 8)`` prints for 1000 input and 200 output tokens of
    ``priced_model``."""
    no_retry_import: str = ""
    no_retry: str = ""
    """Arguments of ``call`` (after the model, with their leading comma; written on lines of
    their own) that turn the SDK's own retries off for a ``def``, imported by
    ``no_retry_import``; empty when the SDK's default client retries nothing."""
    timeout_import: str = ""
    timeout_error: str = ""
    """The exceptions the SDK raises when its timeout runs out, in a call or mid-stream
    (what an ``except`` clause names), imported by ``timeout_import``."""
    absent: dict[str, str] = field(default_factory=dict[str, str])
    """Why a placeholder has no value for this provider (shown in its tab)."""

    def values(self) -> dict[str, str | None]:
        """Placeholder name -> value (None: the provider has no such thing)."""
        sync_only = None if self.one_client_for_both else self.sync_client
        return {
            "module": self.module,
            "name": self.name,
            "prefix": self.prefix,
            "model": self.model,
            "client_model": self.model if self.client_model is None else self.client_model,
            "sync_client_import": self.sync_client_import,
            "sync_client": self.sync_client,
            "async_client_import": self.async_client_import,
            "async_client": self.async_client,
            "open_async_client_import": self.open_async_client_import,
            "open_async_client": self.open_async_client,
            "sync_only_client": sync_only,
            "bad_request_error": self.bad_request_error,
            "stream_cut_import": self.stream_cut_import,
            "stream_cut_error": self.stream_cut_error,
            "priced_model": self.priced_model,
            "usage_type": self.usage_type,
            "example_cost": self.example_cost,
            "no_retry_import": self.no_retry_import,
            "no_retry": self.no_retry,
            "timeout_import": self.timeout_import,
            "timeout_error": self.timeout_error,
        }

    def reason(self, placeholder: str) -> str:
        """Why ``placeholder`` has no value here."""
        if placeholder in self.absent:
            return self.absent[placeholder]
        if placeholder == "sync_only_client" and self.one_client_for_both:
            return _ONE_CLIENT.format(name=self.name)
        return f"{self.name} has no value for {placeholder!r}."


PROVIDERS: tuple[Provider, ...] = (
    Provider(
        module="openai",
        name="OpenAI",
        prefix="OpenAI",
        model="gpt-4o-mini",
        sdk="`openai`",
        env="`OPENAI_API_KEY`, optionally `OPENAI_BASE_URL`",
        sync_client_import="from openai import OpenAI",
        sync_client="OpenAI()",
        async_client_import="from openai import AsyncOpenAI",
        async_client="AsyncOpenAI()",
        open_async_client_import="from openai import AsyncOpenAI",
        open_async_client="AsyncOpenAI()",
        bad_request_error="openai.BadRequestError",
        stream_cut_import="from openai import APIConnectionError",
        stream_cut_error="APIConnectionError",
        priced_model="gpt-4o-mini",
        usage_type="CompletionUsage",
        example_cost="0.00027",
        no_retry_import="from openai import OpenAI",
        no_retry=", client=OpenAI(max_retries=0)",
        timeout_import="from openai import APITimeoutError",
        timeout_error="APITimeoutError",
    ),
    Provider(
        module="anthropic",
        name="Anthropic",
        prefix="Anthropic",
        model="claude-3-5-sonnet-20240620",
        sdk="`anthropic`",
        env="`ANTHROPIC_API_KEY`, optionally `ANTHROPIC_BASE_URL`",
        sync_client_import="from anthropic import Anthropic",
        sync_client="Anthropic()",
        async_client_import="from anthropic import AsyncAnthropic",
        async_client="AsyncAnthropic()",
        open_async_client_import="from anthropic import AsyncAnthropic",
        open_async_client="AsyncAnthropic()",
        bad_request_error="anthropic.BadRequestError",
        stream_cut_import="from anthropic import APIConnectionError",
        stream_cut_error="APIConnectionError",
        priced_model="claude-haiku-4-5",
        usage_type="Usage",
        example_cost="0.002",
        no_retry_import="from anthropic import Anthropic",
        no_retry=", client=Anthropic(max_retries=0)",
        timeout_import="from anthropic import APITimeoutError",
        timeout_error="APITimeoutError",
    ),
    Provider(
        module="mistral",
        name="Mistral",
        prefix="Mistral",
        model="mistral-large-latest",
        sdk="`mistralai` (1.x)",
        env="`MISTRAL_API_KEY`, optionally `MISTRAL_SERVER_URL` (read by mirascope's default "
        "client only)",
        sync_client_import="import os\n\nfrom mistralai import Mistral",
        sync_client='Mistral(api_key=os.environ["MISTRAL_API_KEY"])',
        async_client_import="import os\n\nfrom mistralai import Mistral",
        async_client='Mistral(api_key=os.environ["MISTRAL_API_KEY"])',
        open_async_client_import="import os\n\nfrom mistralai import Mistral",
        open_async_client='Mistral(api_key=os.environ["MISTRAL_API_KEY"])',
        one_client_for_both=True,
        bad_request_error="mistralai.models.sdkerror.SDKError",
        stream_cut_import="from httpx import TransportError",
        stream_cut_error="TransportError",
        priced_model="mistral-large-2512",
        usage_type="UsageInfo",
        example_cost="0.0008",
        timeout_import="from httpx import TimeoutException",
        timeout_error="TimeoutException",
    ),
    Provider(
        module="gemini",
        name="Gemini",
        prefix="Gemini",
        model="gemini-1.5-flash",
        sdk="`google-generativeai`, `grpcio`",
        env="`GOOGLE_API_KEY` (or `genai.configure(...)`)",
        client_model="",
        sync_client_import="from google.generativeai import GenerativeModel",
        sync_client='GenerativeModel(model_name="gemini-1.5-flash")',
        async_client_import="from google.generativeai import GenerativeModel",
        async_client='GenerativeModel(model_name="gemini-1.5-flash")',
        open_async_client_import=(
            "from contextlib import nullcontext\n\nfrom google.generativeai import GenerativeModel"
        ),
        open_async_client='nullcontext(GenerativeModel(model_name="gemini-1.5-flash"))',
        one_client_for_both=True,
        bad_request_error="google.api_core.exceptions.InvalidArgument",
        stream_cut_import="from google.api_core.exceptions import GoogleAPICallError",
        stream_cut_error="GoogleAPICallError",
        priced_model="gemini-2.5-flash",
        usage_type="UsageMetadata",
        example_cost="0.0008",
        # the gapic method's own retry policy (503 and 504, until its deadline) off
        no_retry=', call_params={"request_options": {"retry": None}}',
        timeout_import="from google.api_core.exceptions import DeadlineExceeded",
        timeout_error="DeadlineExceeded",
    ),
    Provider(
        module="groq",
        name="Groq",
        prefix="Groq",
        model="llama-3.1-8b-instant",
        sdk="`groq`",
        env="`GROQ_API_KEY`, optionally `GROQ_BASE_URL`",
        sync_client_import="from groq import Groq",
        sync_client="Groq()",
        async_client_import="from groq import AsyncGroq",
        async_client="AsyncGroq()",
        open_async_client_import="from groq import AsyncGroq",
        open_async_client="AsyncGroq()",
        bad_request_error="groq.BadRequestError",
        stream_cut_import="from groq import APIConnectionError\nfrom httpx import TransportError",
        stream_cut_error="(APIConnectionError, TransportError)",
        priced_model="llama-3.3-70b-versatile",
        usage_type="CompletionUsage",
        example_cost="0.000748",
        no_retry_import="from groq import Groq",
        no_retry=", client=Groq(max_retries=0)",
        timeout_import="from groq import APITimeoutError\nfrom httpx import TimeoutException",
        timeout_error="(APITimeoutError, TimeoutException)",
    ),
    Provider(
        module="cohere",
        name="Cohere",
        prefix="Cohere",
        model="command-r-plus",
        sdk="`cohere`",
        env="`CO_API_KEY`, optionally `CO_API_URL`",
        sync_client_import="from cohere import Client",
        sync_client="Client()",
        async_client_import="from cohere import AsyncClient",
        async_client="AsyncClient()",
        open_async_client_import="from cohere import AsyncClient",
        open_async_client="AsyncClient()",
        bad_request_error="cohere.errors.bad_request_error.BadRequestError",
        stream_cut_import="from httpx import TransportError",
        stream_cut_error="TransportError",
        priced_model="command-r-08-2024",
        usage_type="ApiMetaBilledUnits",
        example_cost="0.00027",
        no_retry_import="from cohere import Client",
        no_retry=", client=Client(max_retries=0)",
        timeout_import="from httpx import TimeoutException",
        timeout_error="TimeoutException",
    ),
    Provider(
        module="litellm",
        name="LiteLLM",
        prefix="LiteLLM",
        model="gpt-4o-mini",
        sdk="`litellm`",
        env="those of the backend LiteLLM routes to (`OPENAI_API_KEY`, ...)",
        bad_request_error="litellm.exceptions.BadRequestError",
        stream_cut_import="from litellm import ServiceUnavailableError",
        stream_cut_error="ServiceUnavailableError",
        priced_model="gpt-4o-mini",
        usage_type="Usage",
        example_cost="0.00027",
        # max_retries: the OpenAI client LiteLLM makes; num_retries: LiteLLM's own
        no_retry=', call_params={"max_retries": 0, "num_retries": 0}',
        timeout_import="from litellm import Timeout",
        timeout_error="Timeout",
        absent={
            name: _LITELLM_NO_CLIENT
            for name in (
                "sync_client_import",
                "sync_client",
                "async_client_import",
                "async_client",
                "open_async_client_import",
                "open_async_client",
                "sync_only_client",
            )
        },
    ),
    Provider(
        module="azure",
        name="Azure AI",
        prefix="Azure",
        model="gpt-4o-mini",
        sdk="`azure-ai-inference`, `aiohttp`",
        env="`AZURE_INFERENCE_ENDPOINT`, `AZURE_INFERENCE_CREDENTIAL`",
        sync_client_import=(
            "import os\n\n"
            "from azure.ai.inference import ChatCompletionsClient\n"
            "from azure.core.credentials import AzureKeyCredential"
        ),
        sync_client=_AZURE_CLIENT,
        async_client_import=(
            "import os\n\n"
            "from azure.ai.inference.aio import ChatCompletionsClient\n"
            "from azure.core.credentials import AzureKeyCredential"
        ),
        async_client=_AZURE_CLIENT,
        open_async_client_import=(
            "import os\n\n"
            "from azure.ai.inference.aio import ChatCompletionsClient\n"
            "from azure.core.credentials import AzureKeyCredential"
        ),
        open_async_client=_AZURE_CLIENT,
        bad_request_error="azure.core.exceptions.HttpResponseError",
        stream_cut_import="from azure.core.exceptions import AzureError",
        stream_cut_error="AzureError",
        priced_model="gpt-4o-mini",
        usage_type="CompletionsUsage",
        example_cost="0.00027",
        no_retry_import=(
            "import os\n\n"
            "from azure.ai.inference import ChatCompletionsClient\n"
            "from azure.core.credentials import AzureKeyCredential"
        ),
        no_retry=_AZURE_NO_RETRY,
        timeout_import="from azure.core.exceptions import ServiceResponseTimeoutError",
        timeout_error="ServiceResponseTimeoutError",
    ),
    Provider(
        module="vertex",
        name="Vertex AI",
        prefix="Vertex",
        model="gemini-1.5-flash",
        sdk="`google-cloud-aiplatform`",
        env="`GOOGLE_CLOUD_PROJECT`, `GOOGLE_CLOUD_REGION`, Application Default Credentials "
        "(or `vertexai.init(...)`)",
        client_model="",
        sync_client_import="from vertexai.generative_models import GenerativeModel",
        sync_client='GenerativeModel(model_name="gemini-1.5-flash")',
        async_client_import="from vertexai.generative_models import GenerativeModel",
        async_client='GenerativeModel(model_name="gemini-1.5-flash")',
        open_async_client_import=(
            "from contextlib import nullcontext\n\n"
            "from vertexai.generative_models import GenerativeModel"
        ),
        open_async_client='nullcontext(GenerativeModel(model_name="gemini-1.5-flash"))',
        one_client_for_both=True,
        bad_request_error="google.api_core.exceptions.InvalidArgument",
        stream_cut_import="from google.api_core.exceptions import GoogleAPICallError",
        stream_cut_error="GoogleAPICallError",
        priced_model="gemini-2.5-flash",
        usage_type="UsageMetadata",
        example_cost="0.0008",
        timeout_import="from google.api_core.exceptions import DeadlineExceeded",
        timeout_error="DeadlineExceeded",
    ),
    Provider(
        module="bedrock",
        name="Bedrock",
        prefix="Bedrock",
        model="anthropic.claude-3-haiku-20240307-v1:0",
        sdk="`boto3`, `aiobotocore`",
        env="the usual AWS configuration: `AWS_DEFAULT_REGION`, credentials, optionally "
        "`AWS_ENDPOINT_URL_BEDROCK_RUNTIME`",
        sync_client_import="import boto3",
        sync_client='boto3.client("bedrock-runtime")',
        open_async_client_import="from aiobotocore.session import get_session",
        open_async_client='get_session().create_client("bedrock-runtime")',
        bad_request_error="botocore.errorfactory.ValidationException",
        # botocore lets urllib3's error through when an event stream breaks off
        stream_cut_import=(
            "from botocore.exceptions import BotoCoreError\n"
            "from urllib3.exceptions import ProtocolError"
        ),
        stream_cut_error="(BotoCoreError, ProtocolError)",
        priced_model="global.anthropic.claude-haiku-4-5-20251001-v1:0",
        usage_type="dict",
        example_cost="0.002",
        no_retry_import="import boto3\nfrom botocore.config import Config",
        no_retry=(
            ",\nclient=boto3.client(\n"
            '    "bedrock-runtime", config=Config(retries={"total_max_attempts": 1})\n'
            ")"
        ),
        timeout_import=(
            "from botocore.exceptions import ReadTimeoutError\n"
            "from urllib3.exceptions import ReadTimeoutError as StreamReadTimeoutError"
        ),
        timeout_error="(ReadTimeoutError, StreamReadTimeoutError)",
        absent={
            name: (
                "An aiobotocore client is opened with `async with` inside a running event "
                "loop, so it cannot be built where the decorator is written: open it in your "
                "async code and pass it as `client` in the dynamic config "
                "(see [A client per call](async.md#a-client-per-call))."
            )
            for name in ("async_client_import", "async_client")
        },
    ),
    Provider(
        module="google",
        name="Google",
        prefix="Google",
        model="gemini-2.5-flash",
        sdk="`google-genai`",
        env="`GOOGLE_API_KEY` (or `GEMINI_API_KEY`), optionally `GOOGLE_GEMINI_BASE_URL`; for "
        "Vertex AI `GOOGLE_GENAI_USE_VERTEXAI=true`, `GOOGLE_CLOUD_PROJECT`, "
        "`GOOGLE_CLOUD_LOCATION` and Application Default Credentials",
        sync_client_import="from google import genai",
        sync_client="genai.Client()",
        async_client_import="from google import genai",
        async_client="genai.Client().aio",
        open_async_client_import="from google import genai",
        open_async_client="genai.Client().aio",
        one_client_for_both=True,
        bad_request_error="google.genai.errors.ClientError",
        stream_cut_import="from httpx import TransportError",
        stream_cut_error="TransportError",
        absent={
            "sync_only_client": (
                "A `genai.Client` serves `def` and `async def` alike (async calls go through "
                "its `.aio`), so it is never of the wrong kind; its `.aio` alone (an "
                "`AsyncClient`) on a `def` is refused with `ClientKindError`."
            )
        },
        priced_model="gemini-2.5-flash",
        usage_type="GenerateContentResponseUsageMetadata",
        example_cost="0.0008",
    ),
    Provider(
        module="xai",
        name="xAI",
        prefix="XAI",
        model="grok-3",
        sdk="`openai`",
        env="`XAI_API_KEY`, optionally `XAI_BASE_URL` (read by mirascope's default client only)",
        sync_client_import="import os\n\nfrom openai import OpenAI",
        sync_client=_XAI_CLIENT.format(cls="OpenAI"),
        async_client_import="import os\n\nfrom openai import AsyncOpenAI",
        async_client=_XAI_CLIENT.format(cls="AsyncOpenAI"),
        open_async_client_import="import os\n\nfrom openai import AsyncOpenAI",
        open_async_client=_XAI_CLIENT.format(cls="AsyncOpenAI"),
        bad_request_error="openai.BadRequestError",
        stream_cut_import="from openai import APIConnectionError",
        stream_cut_error="APIConnectionError",
        priced_model="grok-4.3",
        usage_type="CompletionUsage",
        example_cost="0.00175",
    ),
)
"""Every provider, in the order of their tabs."""

BY_MODULE: dict[str, Provider] = {p.module: p for p in PROVIDERS}


def custom_client(provider: Provider) -> bool:
    """Whether the provider takes a client object at all."""
    return provider.sync_client is not None or provider.open_async_client is not None
