"""One mailbox, one application: the form of an email address that duplicates are judged by.

``jo@trust.nhs.uk``, ``"jo"@trust.nhs.uk``, ``Jo+course@Trust.NHS.uk`` all reach one mailbox,
and so do ``bücher.de``, ``BÜCHER.de`` and ``xn--bcher-kva.de``. A person must not take three
staff free places with them. The address itself is kept as typed, to write to; this key, which
no database compares differently, is what the one-application-per-course rule is checked on.
"""

import re

# A quoted local part ("jo") with its backslash escapes.
QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"$')


def mailbox(address: str, *, ignore_plus_tag: bool = True) -> str:
    """The normalised address: quotes removed, case folded, the domain IDNA-encoded, and
    (with ``ignore_plus_tag``) a ``+tag`` after the local part dropped."""
    local, at, domain = address.strip().rpartition("@")
    if not at:
        return address.strip().casefold()
    if quoted := QUOTED.match(local):
        local = re.sub(r"\\(.)", r"\1", quoted.group(1))
    local = local.casefold()
    if ignore_plus_tag and "+" in local[1:]:
        local = local[: local.index("+", 1)]
    return f"{local}@{ascii_domain(domain)}"


def ascii_domain(domain: str) -> str:
    """The domain as DNS has it (``xn--…`` for an international one), in lower case."""
    domain = domain.rstrip(".").casefold()
    try:
        return domain.encode("idna").decode("ascii").lower()
    except UnicodeError:  # not a name IDNA can encode: compare it as typed, case folded
        return domain
