"""The DFC tests' shared fixtures."""

import socket

import pytest


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test: documents received, contexts and
    probes are read from what is shipped or posted, never fetched (a module that reads nothing
    from the network says so with ``pytest.mark.usefixtures("no_network")``)."""

    def refuse(*args, **kwargs):
        raise AssertionError("this DFC test must not touch the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
