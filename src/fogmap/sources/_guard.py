"""The guard between `fogmap watch` and the network: only public addresses are fetched.

A feed is written by strangers, and so is every link and redirect in it. A link to
`http://169.254.169.254/` (a cloud's metadata service), `http://localhost:5432/` or an
intranet host would make fogmap fetch for the feed's author what only this machine can
reach (server-side request forgery). So the address is checked where the connection is
made: httpcore asks this network backend to connect to a host name, the backend resolves
the name itself, refuses if any answer is not public, and connects to the checked address,
so a name that resolves one way for a check and another way for the connection (DNS
rebinding) cannot slip through, and every redirect passes the same door.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable, Sequence

import httpcore
import httpx

__all__ = ["Network", "RefusedAddress", "guarded_transport", "parse_network"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Shared address space (carrier-grade NAT, where some clouds put their metadata service)
# is not "private" to Python's ipaddress, so it is named here.
_NOT_PUBLIC = (ipaddress.ip_network("100.64.0.0/10"),)


class RefusedAddress(httpcore.ConnectError):
    """A host that resolves to an address fogmap does not fetch from."""


def parse_network(value: str) -> Network:
    """A network a user allows (`10.0.0.0/8`, `127.0.0.1`); ValueError names a bad one."""
    return ipaddress.ip_network(value.strip(), strict=False)


def _is_public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return address.is_global and not any(address in network for network in _NOT_PUBLIC)


class _GuardedBackend(httpcore.NetworkBackend):
    def __init__(self, allowed: Sequence[Network]) -> None:
        self._inner = httpcore.SyncBackend()
        self._allowed = tuple(allowed)

    def _permitted(self, address: Address) -> bool:
        return _is_public(address) or any(address in network for network in self._allowed)

    def _resolve(self, host: str, port: int) -> list[Address]:
        try:
            return [ipaddress.ip_address(host)]
        except ValueError:
            pass
        try:
            answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror}") from exc
        return [ipaddress.ip_address(str(answer[4][0]).split("%")[0]) for answer in answers]

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._resolve(host, port)
        refused = [str(a) for a in addresses if not self._permitted(a)]
        if refused or not addresses:
            raise RefusedAddress(
                f"{host} is at {', '.join(refused) or 'no address'}, not a public address "
                "(allow a network with --allow-network)"
            )
        return self._inner.connect_tcp(
            str(addresses[0]), port, timeout, local_address, socket_options
        )

    def connect_unix_socket(self, *args: object, **kwargs: object) -> httpcore.NetworkStream:
        raise RefusedAddress("fogmap fetches over TCP only")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def guarded_transport(allowed: Sequence[Network] = ()) -> httpx.HTTPTransport:
    """httpx's own transport, connecting only through the guard. httpx offers no public
    way to hand its connection pool a network backend, so the pool is given one here; a
    test fetches a loopback address without allowing it, so a change there cannot pass
    unnoticed."""
    transport = httpx.HTTPTransport(retries=0)
    transport._pool._network_backend = _GuardedBackend(allowed)
    return transport
