"""IP allow-lists of the partner API: pure functions, no ORM."""

import ipaddress
import re


def parse_networks(text):
    """The networks of an allow-list (addresses or CIDRs separated by commas, spaces or
    new lines); raises ValueError naming the first entry that is neither."""
    networks = []
    for entry in re.split(r"[\s,;]+", text or ""):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(entry) from None
    return networks


def address_allowed(address, text):
    """True when ``address`` is inside the allow-list ``text``; an empty list allows any
    address, an unreadable address none."""
    networks = parse_networks(text)
    if not networks:
        return True
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip.version == network.version and ip in network for network in networks)
