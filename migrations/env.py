"""Alembic environment: plain `alembic upgrade head` and `edgelog db upgrade` both land here.

The URL comes from `edgelog` (config attribute) or, when alembic is run by
hand, from the same settings edgelog uses (DATABASE_URL or the embedded server).
"""

import sqlalchemy as sa
from alembic import context

from ingester.database import database_url, sqlalchemy_url
from ingester.roles import sync_reader_password
from ingester.settings import Settings

config = context.config
settings = Settings.from_env()
url = config.attributes.get("database_url") or database_url(settings)

engine = sa.create_engine(sqlalchemy_url(url), poolclass=sa.pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
    sync_reader_password(connection, settings.reader_password)
    connection.commit()
