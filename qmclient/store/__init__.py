"""The local store: SQLite through SQLAlchemy, migrations, and the media files."""
