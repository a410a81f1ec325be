import base64
import csv
import io
import math
import os
import random
import tempfile

import openpyxl

from odoo.addons.guarantee_risk.tests.common import RiskCase

INDUSTRY_EFFECT = {"制造业": 0.0, "批发零售": 0.4, "建筑业": 0.9, "农业": -0.3}
COLUMNS = ["debt_ratio", "years", "industry", "coverage", "default"]


def credit_rows(size=1500, seed=7, shift=0.0):
    """A credit dataset with a real signal: debt ratio and industry raise the odds of
    default, years in business and coverage lower them; a third of coverage is missing.
    ``shift`` moves the debt ratios (a population that drifted)."""
    rng = random.Random(seed)
    rows = []
    for _index in range(size):
        debt = rng.uniform(0, 1.5) + shift
        years = rng.randint(0, 30)
        industry = rng.choice(sorted(INDUSTRY_EFFECT))
        coverage = None if rng.random() < 0.33 else rng.uniform(0, 2)
        log_odds = (
            -1.5
            + 2.5 * debt
            - 0.08 * years
            + INDUSTRY_EFFECT[industry]
            + (0.5 if coverage is None else -0.6 * coverage)
        )
        bad = rng.random() < 1 / (1 + math.exp(-log_odds))
        rows.append(
            {
                "debt_ratio": "%.4f" % debt,
                "years": str(years),
                "industry": industry,
                "coverage": "" if coverage is None else "%.3f" % coverage,
                "default": "是" if bad else "否",
            }
        )
    return rows


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def write_xlsx(path, rows):
    """Numbers as numbers, empty coverage as an empty cell."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(
            [
                float(row["debt_ratio"]),
                int(row["years"]),
                row["industry"],
                float(row["coverage"]) if row["coverage"] else None,
                row["default"],
            ]
        )
    book.save(path)


class ScorecardCase(RiskCase):
    """A credit dataset generated once, written to a CSV and an XLSX file the tests read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rows = credit_rows()
        cls.tmpdir = tempfile.TemporaryDirectory()
        cls.addClassCleanup(cls.tmpdir.cleanup)
        cls.csv_path = os.path.join(cls.tmpdir.name, "credit.csv")
        cls.xlsx_path = os.path.join(cls.tmpdir.name, "credit.xlsx")
        write_csv(cls.csv_path, cls.rows)
        write_xlsx(cls.xlsx_path, cls.rows)
        cls.env.user.groups_id += cls.env.ref("guarantee_base.group_guarantee_risk")

    @classmethod
    def _file(cls, path):
        with open(path, "rb") as handle:
            return base64.b64encode(handle.read())

    def _train(self, path=None, user=None, **values):
        path = path or self.csv_path
        wizard = (
            self.env["guarantee.scorecard.train.wizard"]
            .with_user(user or self.risk)
            .create(
                dict(
                    {
                        "source": "file",
                        "data_file": self._file(path),
                        "data_filename": os.path.basename(path),
                        "target_column": "default",
                        "bad_values": "是",
                        "company_id": self.company.id,
                    },
                    **values,
                )
            )
        )
        action = wizard.action_train()
        return self.env["guarantee.scorecard"].browse(action["res_id"])

    @staticmethod
    def _snapshot(scorecard):
        """What makes a scorecard: its bins and points, grades and figures."""
        return (
            [
                (
                    b.characteristic_id.name,
                    b.sequence,
                    b.is_missing,
                    b.has_lower,
                    b.lower_bound,
                    b.has_upper,
                    b.upper_bound,
                    b.categories,
                    b.count_train,
                    b.woe,
                    b.points,
                )
                for b in scorecard.bin_ids.sorted(
                    lambda b: (b.characteristic_id.sequence, b.sequence)
                )
            ],
            [(g.name, g.min_score, g.pd) for g in scorecard.grade_ids.sorted("sequence")],
            (scorecard.auc_test, scorecard.ks_test, scorecard.gini_test, scorecard.intercept),
        )

    @staticmethod
    def _csv_bytes(rows, columns=None):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns or COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        return base64.b64encode(buffer.getvalue().encode("utf-8"))
