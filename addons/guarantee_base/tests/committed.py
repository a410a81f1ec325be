"""Fixtures committed for real, for the tests that prove what another transaction sees.

Odoo's ``TransactionCase`` rolls its own transaction back; what a test commits on a
connection of its own stays unless the test removes it. ``CommittedRows`` notes the highest
id of every table before the fixture and, at the end, deletes every row above it (and the
rows of relation tables that point to them), after checking that no row that existed before
was made to point to a new one, and puts back the rows production code updates in place
(the head of the integrity chain, moved by every commit that seals something): the database
is left as the test found it.
"""

from contextlib import closing, contextmanager

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tools import SQL

_TABLES_WITH_ID = """
    SELECT c.table_name FROM information_schema.columns c
      JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE c.table_schema = 'public' AND c.column_name = 'id' AND t.table_type = 'BASE TABLE'
"""
# Every single-column foreign key: (table, column, referenced table).
_FOREIGN_KEYS = """
    SELECT cl.relname, att.attname, ref.relname
      FROM pg_constraint con
      JOIN pg_class cl ON cl.oid = con.conrelid
      JOIN pg_class ref ON ref.oid = con.confrelid
      JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = con.conkey[1]
      JOIN pg_namespace ns ON ns.oid = cl.relnamespace
     WHERE con.contype = 'f' AND ns.nspname = 'public' AND array_length(con.conkey, 1) = 1
"""


# Tables whose existing rows the code updates in place on a commit: kept, put back.
KEPT_TABLES = ("guarantee_hash_chain_head",)


class CommittedRows:
    """Rows committed by a test on connections of its own, removed by ``remove()``;
    ``kept_tables``: more tables whose existing rows the fixture updates (a company's
    settings, an aggregate), put back as they were."""

    def __init__(self, dbname, kept_tables=()):
        self.connection = db_connect(dbname)
        self.kept_tables = KEPT_TABLES + tuple(kept_tables)
        self.max_ids = {}
        self.kept = {}

    @contextmanager
    def env(self, uid=SUPERUSER_ID):
        """An environment on a connection of its own, committed at the end of the block."""
        with self.connection.cursor() as cr:
            yield api.Environment(cr, uid, {})

    def snapshot(self):
        with closing(self.connection.cursor()) as cr:
            cr.execute(_TABLES_WITH_ID)
            tables = [row[0] for row in cr.fetchall()]
            cr.execute(SQL(" UNION ALL ").join(
                SQL("SELECT %s, COALESCE(max(id), 0) FROM %s", table, SQL.identifier(table))
                for table in tables
            ))
            self.max_ids = dict(cr.fetchall())
            for table in self.kept_tables:
                cr.execute(SQL("SELECT COALESCE(json_agg(t), '[]')::text FROM %s t",
                               SQL.identifier(table)))
                self.kept[table] = cr.fetchone()[0]

    def remove(self):
        """Delete what was created since ``snapshot()``; fail if an older row points to it
        (the fixture changed what it found, which this cannot put back)."""
        with self.connection.cursor() as cr:
            cr.execute(_FOREIGN_KEYS)
            keys = [key for key in cr.fetchall() if key[2] in self.max_ids]
            new = {}
            for table, max_id in self.max_ids.items():
                cr.execute(SQL("SELECT count(*) FROM %s WHERE id > %s",
                               SQL.identifier(table), max_id))
                if cr.fetchone()[0]:
                    new[table] = max_id
            for table, column, target in keys:
                if target not in new or table not in self.max_ids or table in self.kept:
                    continue
                cr.execute(SQL(
                    "SELECT id FROM %s WHERE id <= %s AND %s > %s LIMIT 1",
                    SQL.identifier(table), self.max_ids[table], SQL.identifier(column),
                    new[target],
                ))
                row = cr.fetchone()
                if row:
                    raise AssertionError("%s #%s (%s) points to a row the test created in %s"
                                         % (table, row[0], column, target))
            # the rows go in any order: their foreign keys point to each other
            cr.execute("SET LOCAL session_replication_role = replica")
            for table, column, target in keys:
                if target in new and table not in self.max_ids:
                    cr.execute(SQL("DELETE FROM %s WHERE %s > %s", SQL.identifier(table),
                                   SQL.identifier(column), new[target]))
            for table, max_id in new.items():
                cr.execute(SQL("DELETE FROM %s WHERE id > %s", SQL.identifier(table), max_id))
            for table, rows in self.kept.items():
                cr.execute("SELECT column_name FROM information_schema.columns "
                           "WHERE table_schema = 'public' AND table_name = %s AND "
                           "column_name != 'id'", [table])
                columns = SQL(", ").join(SQL.identifier(row[0]) for row in cr.fetchall())
                cr.execute(SQL(
                    "UPDATE %s t SET (%s) = (SELECT %s FROM json_populate_record(NULL::%s, "
                    "kept.row)) FROM json_array_elements(%s::json) kept(row) "
                    "WHERE t.id = (kept.row->>'id')::integer",
                    SQL.identifier(table), columns, columns, SQL.identifier(table), rows,
                ))
