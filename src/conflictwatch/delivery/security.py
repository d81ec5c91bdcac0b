"""Guards at the service's edges: webhook URL checks (SSRF) and API keys.

A webhook URL is checked twice: when the subscription is created (early, clear
error for the user) and at every connection, through ``GuardedResolver``, so a
DNS name that later re-points to an internal address (DNS rebinding) is still
refused.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import socket
from dataclasses import dataclass
from typing import Iterable, Sequence
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver
from aiohttp.resolver import ThreadedResolver

from .errors import UnresolvableWebhookHost, UnsafeWebhookURL

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_URL_LENGTH = 2048


@dataclass(frozen=True)
class AllowRule:
    """An internal network a webhook may reach, on one port or (port None) on any."""

    network: ipaddress.IPv4Network | ipaddress.IPv6Network
    port: int | None = None

    def admits(self, ip: IPAddress, port: int | None) -> bool:
        if ip.version != self.network.version or ip not in self.network:
            return False
        return self.port is None or self.port == port


def parse_allow_rule(spec: str) -> AllowRule:
    """``10.0.0.0/8``, ``127.0.0.1:8443``, ``10.1.2.0/24:443``, ``::1``, ``[fd00::/8]:443``."""
    text = spec.strip()
    port: str | None = None
    if text.startswith("["):
        inner, sep, rest = text[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise ValueError(f"allow-list entry {spec!r}: expected [address or network]:port")
        text, port = inner, rest[1:] or None
    elif text.count(":") == 1:  # IPv4 with a port; bare IPv6 has several colons
        text, port = text.split(":")
    if port is not None and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        raise ValueError(f"allow-list entry {spec!r}: port must be 1..65535")
    return AllowRule(ipaddress.ip_network(text, strict=False), int(port) if port is not None else None)


def parse_networks(specs: Iterable[str]) -> tuple[AllowRule, ...]:
    return tuple(parse_allow_rule(s) for s in specs if s and s.strip())


def is_internal(ip: IPAddress) -> bool:
    """Addresses a webhook must not reach by default."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    return (
        ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified
        or (isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT)
    )


_CGNAT = ipaddress.ip_network("100.64.0.0/10")  # shared address space, not "private" to ipaddress


def address_allowed(ip: IPAddress, allow: Sequence[AllowRule], port: int | None = None) -> bool:
    """Public addresses always; internal ones only through a rule for their
    network and (if the rule names one) the port being connected to."""
    if not is_internal(ip):
        return True
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # a rule for 127.0.0.1 covers ::ffff:127.0.0.1, and nothing wider
    return any(rule.admits(ip, port) for rule in allow)


def check_url_syntax(url: str) -> tuple[str, int]:
    """Return (host, port) of an acceptable http(s) URL, or raise UnsafeWebhookURL."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH:
        raise UnsafeWebhookURL("webhook url must be a string of at most 2048 characters")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeWebhookURL("webhook url must use http or https")
    if parts.username or parts.password:
        raise UnsafeWebhookURL("webhook url must not carry credentials; use the shared secret")
    host = parts.hostname
    if not host:
        raise UnsafeWebhookURL("webhook url has no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeWebhookURL("webhook url has an invalid port") from None
    return host, port


async def check_webhook_url(url: str, allow: Sequence[AllowRule], resolve=None) -> None:
    """Refuse URLs whose host resolves to an internal address not explicitly allowed.

    ``resolve(host, port)`` returns a list of IP strings; the default uses the
    system resolver. Every resolved address must be acceptable, since the HTTP
    client may pick any of them.
    """
    host, port = check_url_syntax(url)
    try:
        addresses = [str(ipaddress.ip_address(host))]  # a literal address needs no lookup
    except ValueError:
        addresses = await (resolve or _system_resolve)(host, port)
    if not addresses:
        raise UnresolvableWebhookHost(f"webhook host {host!r} does not resolve")
    for text in addresses:
        ip = ipaddress.ip_address(text.split("%", 1)[0])
        if not address_allowed(ip, allow, port):
            raise UnsafeWebhookURL(
                f"webhook host {host!r} port {port} resolves to a loopback/private/link-local address; "
                "allow its network (and port) in the configuration if this is intended"
            )


async def _system_resolve(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return []
    return sorted({info[4][0] for info in infos})


class GuardedResolver(AbstractResolver):
    """aiohttp resolver that drops internal addresses at connection time."""

    def __init__(self, allow: Sequence[AllowRule]):
        self._inner = ThreadedResolver()
        self._allow = tuple(allow)

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET):
        results = await self._inner.resolve(host, port, family)
        kept = [r for r in results if address_allowed(ipaddress.ip_address(r["host"]), self._allow, port)]
        if not kept:
            raise OSError(f"refused to connect to {host}: internal address")
        return kept

    async def close(self) -> None:
        await self._inner.close()


def client_key(remote: str | None) -> str:
    """Who counts as one client for per-client limits: an IPv4 address, or an
    IPv6 /64 (one host or home usually holds a whole /64, and could otherwise
    pick a new address per connection)."""
    try:
        ip = ipaddress.ip_address((remote or "").split("%", 1)[0])
    except ValueError:
        return remote or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class ApiKeys:
    """Constant-time API key check. Keys are only kept as SHA-256 digests."""

    def __init__(self, keys: Iterable[str]):
        self._digests = [hashlib.sha256(k.encode("utf-8")).digest() for k in keys if k]

    @property
    def configured(self) -> bool:
        return bool(self._digests)

    def owner(self, presented: str | None) -> str | None:
        """Stable, non-secret owner id of a valid key, or None."""
        if not presented:
            return None
        digest = hashlib.sha256(presented.encode("utf-8", "replace")).digest()
        found = False
        for d in self._digests:  # no early exit: timing does not tell which key matched
            found |= hmac.compare_digest(d, digest)
        return "key-" + digest.hex()[:12] if found else None
