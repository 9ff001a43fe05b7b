"""Pure-Python domain logic: campaigns, reports, identifiers, validation.

Nothing in here imports Qt, SQL or HTTP libraries.
"""
