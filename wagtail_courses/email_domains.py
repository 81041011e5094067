"""Email domains as editors type them, and whether an address is at one of them."""


def parse_domains(text: str) -> list[str]:
    """Email domains typed one per line (or separated by commas or spaces), lower case."""
    words = text.replace(",", " ").split()
    return list(dict.fromkeys(word.strip().lstrip("@").lower() for word in words if word))


def email_domain_matches(email: str, domains: list[str]) -> bool:
    """True for an address at one of ``domains`` or a subdomain of one (``x@trust.nhs.uk``)."""
    domain = email.rpartition("@")[2].strip().lower()
    return bool(domain) and any(domain == d or domain.endswith(f".{d}") for d in domains)
