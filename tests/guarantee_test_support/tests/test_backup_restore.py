"""tools/backup: a restore of a backup taken now gives back every record and attachment."""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import TransactionCase, tagged
from odoo.tools import config

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
COMMAND = os.path.join(ROOT, "tools", "backup")
# tables compared row by row (their whole content, in id order)
TABLES = [
    "res_partner", "guarantee_project", "guarantee_project_state_log", "guarantee_contract",
    "guarantee_margin", "guarantee_fee", "account_move", "account_move_line", "ir_attachment",
    "auditlog_log", "auditlog_log_line", "guarantee_hash_chain",
]


@tagged("post_install", "-at_install")
class TestBackupRestore(TransactionCase):
    def _pg_flags(self):
        flags = []
        for flag, key in (("--db_host", "db_host"), ("--db_port", "db_port"),
                          ("-r", "db_user"), ("-w", "db_password")):
            if config.get(key):
                flags += [flag, str(config[key])]
        return flags

    def _run(self, *args):
        subprocess.run(
            [sys.executable, COMMAND, *args, "--data-dir", config["data_dir"], *self._pg_flags()],
            check=True, capture_output=True, timeout=600,
        )

    def _probe_attachment(self):
        """An attachment committed on disk, deleted again after the test."""
        content = b"%PDF-1.4 backup probe " + os.urandom(16)
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            attachment = env["ir.attachment"].create({"name": "备份探针.pdf", "raw": content})
            probe = attachment.id
        self.addCleanup(self._delete_probe, probe)
        return probe, content

    def _delete_probe(self, probe):
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["ir.attachment"].browse(probe).unlink()

    def _drop(self, dbname):
        with sql_db.db_connect("postgres").cursor() as cr:
            cr._cnx.autocommit = True
            cr.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [dbname],
            )
            cr.execute('DROP DATABASE IF EXISTS "%s"' % dbname)
        sql_db.close_db(dbname)
        shutil.rmtree(os.path.join(config["data_dir"], "filestore", dbname), ignore_errors=True)

    @staticmethod
    def _fingerprints(dbname):
        with sql_db.db_connect(dbname).cursor() as cr:
            prints = {}
            for table in TABLES:
                cr.execute(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) "
                    "FROM %s t" % table
                )
                prints[table] = cr.fetchone()
            cr.execute("SELECT id, store_fname, checksum FROM ir_attachment "
                       "WHERE store_fname IS NOT NULL ORDER BY id")
            return prints, cr.fetchall()

    def test_a_restore_gives_back_every_record_and_attachment(self):
        source = self.env.cr.dbname
        probe, content = self._probe_attachment()
        restored = "%s_restore_%s" % (source, os.getpid())
        self._drop(restored)
        self.addCleanup(self._drop, restored)
        with tempfile.TemporaryDirectory() as work:
            archive = os.path.join(work, "backup.tar.gz")
            self._run("backup", "-d", source, "-o", archive)
            self._run("restore", "-d", restored, "-i", archive)
        source_prints, source_files = self._fingerprints(source)
        restored_prints, restored_files = self._fingerprints(restored)
        self.assertEqual(restored_prints, source_prints)
        self.assertEqual(restored_files, source_files)
        self.assertGreater(source_prints["guarantee_project"][0], 0)
        store = os.path.join(config["data_dir"], "filestore", restored)
        for attachment_id, fname, checksum in restored_files:
            with open(os.path.join(store, fname), "rb") as handle:
                self.assertEqual(hashlib.sha1(handle.read()).hexdigest(), checksum, attachment_id)
        fname = {i: f for i, f, _c in restored_files}[probe]
        with open(os.path.join(store, fname), "rb") as handle:
            self.assertEqual(handle.read(), content)
