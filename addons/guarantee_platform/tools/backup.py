"""Backup and restore of one database with its filestore (used by tools/backup and tests).

A backup is one ``.tar.gz`` holding ``dump.pgc`` (``pg_dump -Fc``) and ``filestore/`` (the
attachments Odoo keeps on disk). A restore creates a NEW database from it (never overwrites an
existing one) and puts the files in that database's filestore.
"""

import os
import shutil
import subprocess
import tarfile
import tempfile

DUMP_NAME = "dump.pgc"
FILESTORE_NAME = "filestore"


def pg_environment(db_host=None, db_port=None, db_user=None, db_password=None):
    """The environment of the PostgreSQL client commands for these connection settings."""
    env = dict(os.environ)
    for key, value in (("PGHOST", db_host), ("PGPORT", db_port), ("PGUSER", db_user),
                       ("PGPASSWORD", db_password)):
        if value:
            env[key] = str(value)
    return env


def filestore_path(data_dir, dbname):
    return os.path.join(data_dir, "filestore", dbname)


def backup(dbname, archive_path, data_dir, pg_env=None):
    """Write ``archive_path`` with the database ``dbname`` and its filestore."""
    with tempfile.TemporaryDirectory() as work:
        dump = os.path.join(work, DUMP_NAME)
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", dump, dbname],
            env=pg_env or pg_environment(), check=True, capture_output=True,
        )
        with tarfile.open(archive_path, "w:gz") as archive:
            archive.add(dump, arcname=DUMP_NAME)
            files = filestore_path(data_dir, dbname)
            if os.path.isdir(files):
                archive.add(files, arcname=FILESTORE_NAME)
    return archive_path


def restore(archive_path, new_dbname, data_dir, pg_env=None):
    """Create ``new_dbname`` from a backup; refuse when the database or its files exist."""
    env = pg_env or pg_environment()
    target_files = filestore_path(data_dir, new_dbname)
    if os.path.exists(target_files):
        raise FileExistsError("filestore %s already exists" % target_files)
    with tempfile.TemporaryDirectory() as work:
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(work, filter="data")
        subprocess.run(["createdb", new_dbname], env=env, check=True, capture_output=True)
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", new_dbname,
             os.path.join(work, DUMP_NAME)],
            env=env, check=True, capture_output=True,
        )
        files = os.path.join(work, FILESTORE_NAME)
        if os.path.isdir(files):
            os.makedirs(os.path.dirname(target_files), exist_ok=True)
            shutil.copytree(files, target_files)
    return new_dbname
