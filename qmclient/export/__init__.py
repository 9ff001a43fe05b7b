"""File formats that leave the program: the Word report, the Excel table, e-mail, packages.

Each module writes to a binary file object it is given; where the file goes and how it is
made atomic is :mod:`qmclient.export.atomic`'s business, and what goes in is decided by
:mod:`qmclient.services.export` and :mod:`qmclient.services.packages`.
"""
