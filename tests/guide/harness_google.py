"""The guide's Gemini examples, rewritten for ``google`` (google-genai, Google's current
SDK), against ``FakeGoogle``: the rewrite is mechanical (``from mirascope.core import
google``, ``google.call("gemini-2.5-flash")``, and ``genai.Client()`` where the Gemini tab
builds a ``GenerativeModel``, whose model name moves into the call). Both
mirascope's default client and the examples' own ``genai.Client()`` read
``GOOGLE_API_KEY`` and ``GOOGLE_GEMINI_BASE_URL``."""

from __future__ import annotations

import re

from mirascope.testing import FakeGoogle, FakeServer

from .extract import Example
from .harness import Harness

MODEL = "gemini-2.5-flash"
_MODEL_OBJECT = re.compile(r'GenerativeModel\(model_name="[^"]+"\)')


class GoogleHarness(Harness):
    tab = "Google"
    module = "google"
    source_tab = "Gemini"

    @classmethod
    def rewrite(cls, code: str) -> str:
        code = code.replace(
            "from google.generativeai import GenerativeModel", "from google import genai"
        )
        code = _MODEL_OBJECT.sub("genai.Client()", code)
        # the model goes in the call, whether the tab named it there or in its model object
        code = re.sub(r'gemini\.call\((model=)?"[^"]*"', rf'google.call(\1"{MODEL}"', code)
        code = code.replace("gemini.GeminiDynamicConfig", "google.GoogleDynamicConfig")
        code = re.sub(r"^(from mirascope\.core import .*)\bgemini\b", r"\1google", code, flags=re.M)
        assert "gemini." not in code and "generativeai" not in code, code
        return code

    def start(self) -> FakeServer:
        return FakeGoogle().start()

    def environ(self, server: FakeServer) -> dict[str, str]:
        # FakeGoogle serves both of google-genai's backends: Vertex AI clients reach it too
        return {
            "GOOGLE_API_KEY": "test-key",
            "GOOGLE_GEMINI_BASE_URL": server.url,
            "GOOGLE_VERTEX_BASE_URL": server.url,
        }

    def check_requests(self, example: Example, server: FakeServer) -> None:
        for request in server.requests:
            path = request.path.split("?", 1)[0]
            assert path.startswith(f"/v1beta/models/{MODEL}:"), request.path
            assert request.headers.get("x-goog-api-key") == "test-key"
            streamed = path.endswith(":streamGenerateContent")
            assert streamed is (example.section == "Async Streaming"), request.path
