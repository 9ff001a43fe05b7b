"""qmintake: the reference intake server of the lead office (receiving side of qmclient)."""

__version__ = "0.1.0"
PROTOCOL_VERSION = 1
