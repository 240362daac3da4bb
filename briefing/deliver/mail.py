"""The digest as an e-mail: a multipart/alternative message, and sending it over SMTP.

The text part is the digest's Markdown, the HTML part that Markdown as a page (both made by
render/digest.py); this module only wraps them in a message and hands it to the server.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses

from ..config import Smtp
from ..errors import ConfigError, DeliveryError, UsageError


def parse_recipients(values: list[str]) -> list[str]:
    """Plain addresses from "a@x, Name <b@y>" values; a malformed one stops with exit 2."""
    addresses: list[str] = []
    for name, address in getaddresses(values):
        if not address:
            continue
        if "@" not in address or address.startswith("@") or address.endswith("@"):
            raise UsageError(f"not an e-mail address: {address!r}")
        if address not in addresses:
            addresses.append(address)
        del name  # display names are not kept: the state records addresses
    return addresses


@dataclass
class Letter:
    subject: str
    sender: str
    recipients: list[str]
    text: str  # the Markdown
    html: str
    # What makes this digest the same digest when it is sent again (see digest_key); its
    # hash is the Message-ID's left part.
    identity: str


def _domain(sender: str) -> str:
    domain = sender.rpartition("@")[2].strip(" >")
    return domain or "localhost"


def build_message(letter: Letter, now: datetime) -> EmailMessage:
    """The message: UTF-8 text/plain and text/html alternatives, with the digest's
    Message-ID."""
    message = EmailMessage()
    message["Subject"] = " ".join(letter.subject.split())  # one line, whatever the config says
    message["From"] = _address(letter.sender)
    message["To"] = ", ".join(letter.recipients)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(letter.identity, letter.sender)
    message.set_content(letter.text, subtype="plain", charset="utf-8")
    message.add_alternative(letter.html, subtype="html", charset="utf-8")
    return message


def message_id(identity: str, sender: str) -> str:
    """ "<digest.HASH@DOMAIN>": the same digest sent again (after a run that died between
    the server's acceptance and the record) has the same Message-ID, so mail clients can
    tell the copy; a different digest has a different one."""
    digest = hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"<digest.{digest}@{_domain(sender)}>"


def _address(value: str) -> Address | str:
    try:
        return Address(addr_spec=value)
    except (ValueError, IndexError):
        return value


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _password(settings: Smtp) -> str | None:
    if not settings.username:
        return None
    if not settings.password_env:
        raise ConfigError("digest.smtp.username is set but digest.smtp.password_env is not")
    password = os.environ.get(settings.password_env)
    if not password:
        raise ConfigError(
            f"digest.smtp.username is set: put the password in the environment variable "
            f"{settings.password_env}"
        )
    if settings.security == "none" and not _is_loopback(settings.host):
        raise ConfigError(
            f"refusing to send the SMTP password in clear to {settings.host}: "
            "set digest.smtp.security to starttls or ssl"
        )
    return password


def _connect(settings: Smtp) -> smtplib.SMTP:
    context = ssl.create_default_context()  # verifies the certificate and the host name
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout_s, context=context
        )
    client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_s)
    if settings.security == "starttls":
        client.starttls(context=context)
    return client


def send(message: EmailMessage, settings: Smtp) -> list[str]:
    """Hand the message to the SMTP server; return the recipients it accepted.

    Any failure (connection refused, timeout, TLS, a 4xx or 5xx reply) raises DeliveryError
    with one line naming the server and the reason.
    """
    password = _password(settings)
    recipients = [str(a) for a in message["To"].addresses]
    where = f"SMTP server {settings.host}:{settings.port}"
    try:
        with _connect(settings) as client:
            if password is not None:
                client.login(settings.username or "", password)
            refused = client.send_message(message, to_addrs=recipients)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = "; ".join(f"{a}: {_reply(c, m)}" for a, (c, m) in exc.recipients.items())
        raise DeliveryError(f"{where} refused every recipient ({codes})") from exc
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(
            f"{where} did not accept the message: {_reply(exc.smtp_code, exc.smtp_error)}"
        ) from exc
    except TimeoutError as exc:
        raise DeliveryError(f"{where} timed out after {settings.timeout_s:g} s") from exc
    except smtplib.SMTPServerDisconnected as exc:
        # smtplib reports a timeout while reading a reply as a disconnection.
        if isinstance(exc.__context__, TimeoutError):
            raise DeliveryError(f"{where} timed out after {settings.timeout_s:g} s") from exc
        raise DeliveryError(f"{where}: {exc}") from exc
    except ssl.SSLError as exc:
        raise DeliveryError(f"{where}: TLS failed: {exc.reason or exc}") from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise DeliveryError(f"{where}: {exc} (is digest.smtp.security right?)") from exc
    except (smtplib.SMTPException, OSError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise DeliveryError(f"{where}: {reason}") from exc
    return [r for r in recipients if r not in refused]


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}".strip()
