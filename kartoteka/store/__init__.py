"""Storage: tables, dialect helpers, repositories, search, migrations."""
