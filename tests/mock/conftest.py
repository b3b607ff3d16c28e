"""Fixtures for the mock server tests: real servers on 127.0.0.1, port 0."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from explorer import spec
from explorer.demo import demo_spec_path
from explorer.mock import MockServer

HERE = Path(__file__).resolve().parent
SHOP = HERE / "fixtures" / "shop.yaml"
HOSTILE = HERE / "fixtures" / "hostile.yaml"
DEMO = demo_spec_path()


class FakeClock:
    """A clock the tests move by hand (rate-limit windows, token expiry)."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def shop_api() -> spec.Spec:
    return spec.load(SHOP, cache_dir=None)


@pytest.fixture
def shop(shop_api: spec.Spec, clock: FakeClock) -> Iterator[MockServer]:
    with MockServer(shop_api, clock=clock) as server:
        yield server


@pytest.fixture
def shop_client(shop: MockServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=shop.api_url, timeout=10) as client:
        yield client


@pytest.fixture(scope="session")
def demo_api() -> spec.Spec:
    if not DEMO.is_file():
        pytest.skip("resources/ecosire/openapi.json has not been generated")
    return spec.load(DEMO)


@pytest.fixture
def demo(demo_api: spec.Spec, clock: FakeClock) -> Iterator[MockServer]:
    with MockServer(demo_api, clock=clock) as server:
        yield server


@pytest.fixture
def demo_client(demo: MockServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo.api_url, timeout=10) as client:
        yield client


@pytest.fixture(scope="session")
def hostile_api() -> spec.Spec:
    """The document the hostile-client tests use (fixtures/hostile.yaml)."""
    return spec.load(HOSTILE, cache_dir=None)


@pytest.fixture(scope="module")
def hostile_server(hostile_api: spec.Spec) -> Iterator[MockServer]:
    """A mock of fixtures/hostile.yaml with the default limits, one per test module."""
    with MockServer(hostile_api) as server:
        yield server
