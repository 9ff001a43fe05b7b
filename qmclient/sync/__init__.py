"""The network side of qmclient: the intake API client, the tus uploader, tokens.

Everything here speaks HTTP through one :class:`requests.Session` per endpoint
(:func:`qmclient.sync.http.make_session`) and reports trouble as
:class:`qmclient.sync.errors.SyncError`, with a message in Chinese and English that says
what happened and what to do.  The queue of submissions (the outbox) is a use case and
lives in :mod:`qmclient.services.outbox`.
"""
