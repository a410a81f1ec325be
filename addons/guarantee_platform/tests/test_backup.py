import os
import subprocess
import tempfile
import uuid

from odoo.tests import BaseCase, tagged
from odoo.tools import config

from ..tools import backup


@tagged("post_install", "-at_install")
class TestBackup(BaseCase):
    """A backup of a small scratch database and its files, restored under a new name, gives
    them back; a restore never overwrites what exists."""

    def _psql(self, env, dbname, sql):
        return subprocess.run(["psql", "-XAtq", "-d", dbname, "-c", sql], env=env, check=True,
                              capture_output=True, text=True).stdout.strip()

    def test_a_restore_gives_back_the_rows_and_files_and_refuses_to_overwrite(self):
        env = backup.pg_environment(config["db_host"], config["db_port"], config["db_user"],
                                    config["db_password"])
        source = "platform_backup_%s" % uuid.uuid4().hex[:8]
        target = source + "_restored"
        subprocess.run(["createdb", source], env=env, check=True, capture_output=True)
        self.addCleanup(subprocess.run, ["dropdb", "--if-exists", source], env=env)
        self.addCleanup(subprocess.run, ["dropdb", "--if-exists", target], env=env)
        self._psql(env, source, "CREATE TABLE probe (name text); "
                                "INSERT INTO probe VALUES ('担保合同'), ('保函')")
        with tempfile.TemporaryDirectory() as data_dir:
            files = backup.filestore_path(data_dir, source)
            os.makedirs(os.path.join(files, "ab"))
            with open(os.path.join(files, "ab", "abcdef"), "wb") as handle:
                handle.write(b"%PDF-1.4 probe")
            archive = backup.backup(source, os.path.join(data_dir, "b.tar.gz"), data_dir,
                                    pg_env=env)
            backup.restore(archive, target, data_dir, pg_env=env)
            rows = self._psql(env, target, 'SELECT name FROM probe ORDER BY name COLLATE "C"')
            self.assertEqual(rows.splitlines(), ["保函", "担保合同"])
            with open(os.path.join(backup.filestore_path(data_dir, target), "ab", "abcdef"),
                      "rb") as handle:
                self.assertEqual(handle.read(), b"%PDF-1.4 probe")
            with self.assertRaises(FileExistsError):
                backup.restore(archive, target, data_dir, pg_env=env)
