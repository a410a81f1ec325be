import base64
import json

from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.guarantee_base.tools.bulk import create_unaudited
from odoo.addons.guarantee_platform.tools import tabular
from odoo.addons.guarantee_platform.tools.money import fen_float

from ..tools import collateral_import, ledger_import

# Above this many rows the import runs as a queue job, with its progress on the log.
QUEUE_THRESHOLD = 1000
CHUNK = 500

# Fields of the import compared with the project to decide whether a re-import changes it.
PROJECT_FIELDS = (
    "partner_id", "product_id", "creditor_id", "manager_id", "amount", "term_months",
    "fee_rate", "own_share", "date_start", "date_end", "loan_release_date",
    "loan_amount_released", "principal_repaid", "risk_class", "state", "date_released",
)
# Fields of a counter-guarantee a re-import compares (the haircut only when the ledger has it).
COLLATERAL_FIELDS = (
    "name", "kind", "asset_type", "owner_id", "appraised_value", "haircut", "registration_no",
    "registration_authority", "registration_date", "registration_expiry", "state",
)
COLLATERAL_SHEET = "反担保"


class GuaranteeImportLog(models.Model):
    """One ledger file: the file itself, how it was read, the problems of its rows and what
    its import created or updated."""

    _name = "guarantee.import.log"
    _description = "Ledger Import"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True,
        readonly=True,
    )
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    mapping_id = fields.Many2one("guarantee.import.mapping", string="Source", readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="Ledger File", readonly=True)
    mapping_json = fields.Text(readonly=True, help="The column mapping the file was read with.")
    state = fields.Selection(
        [
            ("checked", "Checked"),
            ("queued", "Queued"),
            ("done", "Imported"),
            ("failed", "Failed"),
        ],
        default="checked",
        required=True,
        readonly=True,
        index=True,
    )
    row_count = fields.Integer(string="Rows", readonly=True)
    error_row_count = fields.Integer(string="Rows with Problems", readonly=True)
    valid_row_count = fields.Integer(string="Valid Rows", readonly=True)
    created_count = fields.Integer(string="Created", readonly=True)
    updated_count = fields.Integer(string="Updated", readonly=True)
    unchanged_count = fields.Integer(string="Unchanged", readonly=True)
    progress = fields.Float(string="Progress (%)", readonly=True, digits=(16, 0))
    error_message = fields.Text(readonly=True)
    line_ids = fields.One2many("guarantee.import.log.line", "log_id", string="Problems",
                               readonly=True)
    project_ids = fields.One2many("guarantee.project", "import_log_id", string="Projects",
                                  readonly=True)
    collateral_row_count = fields.Integer(string="Counter-Guarantee Rows", readonly=True)
    collateral_error_row_count = fields.Integer(
        string="Counter-Guarantee Rows with Problems", readonly=True
    )
    collateral_created_count = fields.Integer(string="Counter-Guarantees Created", readonly=True)
    collateral_updated_count = fields.Integer(string="Counter-Guarantees Updated", readonly=True)
    collateral_unchanged_count = fields.Integer(
        string="Counter-Guarantees Unchanged", readonly=True
    )
    collateral_ids = fields.One2many(
        "guarantee.collateral", "import_log_id", string="Counter-Guarantees", readonly=True
    )
    date_done = fields.Datetime(string="Imported On", readonly=True)

    # ------------------------------------------------------------------ reading

    def _read_rows(self, collateral=False):
        """(headers, [(row number, {header: value})]) of the kept file's first sheet (the
        projects), or of its counter-guarantee sheet (反担保, none when the file has no such
        sheet); the header row is row 1."""
        self.ensure_one()
        data = base64.b64decode(self.attachment_id.datas)
        try:
            book = tabular.open_workbook(data, read_only=True)
        except tabular.CellError as error:
            raise UserError(_("The file is not an Excel workbook (.xlsx).")) from error
        sheet = book.worksheets[0]
        if collateral:
            sheet = next((ws for ws in book.worksheets[1:]
                          if ledger_import.clean_text(ws.title) in collateral_import.SHEET_NAMES),
                         None)
            if sheet is None:
                book.close()
                return [], []
        rows = iter(tabular.sheet_rows(sheet))
        headers = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        result = []
        for number, row in enumerate(rows, start=2):
            if any(cell not in (None, "") for cell in row):
                result.append((number, dict(zip(headers, row, strict=False))))
        book.close()
        return headers, result

    def _known(self):
        """Names the rows may use for products, banks and managers, with their ids."""
        company = self.company_id
        products = self.env["guarantee.product"].search_read(
            [("company_id", "in", (False, company.id))], ["name"]
        )
        banks = self.env["res.partner"].search_read(
            [("is_company", "=", True), ("is_guarantee_customer", "=", False),
             ("company_id", "in", (False, company.id))], ["name"]
        )
        users = self.env["res.users"].search_read([("share", "=", False)], ["name", "login"])
        return {
            "product": {ledger_import.clean_text(p["name"]): p["id"] for p in products},
            "creditor": {ledger_import.clean_text(b["name"]): b["id"] for b in banks},
            "manager": {
                **{ledger_import.clean_text(u["login"]): u["id"] for u in users},
                **{ledger_import.clean_text(u["name"]): u["id"] for u in users},
            },
        }

    def _parse(self):
        """[(row number, values, problems)] of every row, read with the log's mapping."""
        self.ensure_one()
        mapping = json.loads(self.mapping_json or "{}")
        _headers, rows = self._read_rows()
        units = {target: ledger_import.header_unit(header) for header, target in mapping.items()}
        known = self._known()
        parsed = []
        for number, row in rows:
            raw = {target: row.get(header) for header, target in mapping.items()}
            values, problems = ledger_import.clean_row(raw, units, known)
            parsed.append((number, values, problems))
        self._duplicate_problems(parsed)
        self._number_clash_problems(parsed)
        return parsed

    @staticmethod
    def _duplicate_problems(parsed):
        """A ledger reference may appear on one row only."""
        seen = {}
        for number, values, problems in parsed:
            ref = values.get("legacy_ref")
            if ref and ref in seen:
                problems.append(("legacy_ref", "duplicate reference (row %s)" % seen[ref]))
            seen.setdefault(ref, number)

    def _number_clash_problems(self, parsed):
        """An imported project takes its ledger reference as its number: a reference that is
        already the number of another project cannot be imported."""
        refs = [values["legacy_ref"] for _n, values, _p in parsed if values.get("legacy_ref")]
        clashes = {
            record["name"]
            for record in self.env["guarantee.project"].with_context(active_test=False)
            .search_read([("name", "in", refs), ("company_id", "=", self.company_id.id)],
                         ["name", "legacy_ref"])
            if record["legacy_ref"] != record["name"]
        }
        for _number, values, problems in parsed:
            if values.get("legacy_ref") in clashes:
                problems.append(("legacy_ref", "already the number of another project"))

    def _parse_collateral(self, parsed):
        """(header of each target, [(row number, values, problems)]) of the counter-guarantee
        sheet; ``parsed`` are the project rows, whose references the sheet may use."""
        self.ensure_one()
        headers, rows = self._read_rows(collateral=True)
        if not rows:
            return {}, []
        mapping = collateral_import.recognise_headers(headers)
        missing = [header for target, header in collateral_import.COLUMNS
                   if target in collateral_import.REQUIRED and target not in mapping.values()]
        if missing:
            raise UserError(
                _("These columns are missing from the sheet %(sheet)s: %(columns)s.",
                  sheet=COLLATERAL_SHEET, columns="、".join(missing))
            )
        units = {target: ledger_import.header_unit(header) for header, target in mapping.items()}
        result = []
        for number, row in rows:
            raw = {target: row.get(header) for header, target in mapping.items()}
            values, problems = collateral_import.clean_row(raw, units)
            result.append((number, values, problems))
        self._collateral_project_problems(parsed, result)
        self._collateral_duplicate_problems(result)
        return {target: header for header, target in mapping.items()}, result

    def _collateral_project_problems(self, parsed, collaterals):
        """A counter-guarantee secures a valid project row of the file or a project of the
        database, named by its ledger reference."""
        in_file = {values["legacy_ref"]: not problems
                   for _n, values, problems in parsed if values.get("legacy_ref")}
        refs = {values["project_ref"] for _n, values, _p in collaterals
                if values.get("project_ref")} - set(in_file)
        known = {
            record["legacy_ref"]
            for record in self.env["guarantee.project"].with_context(active_test=False)
            .search_read([("legacy_ref", "in", list(refs)),
                          ("company_id", "=", self.company_id.id)], ["legacy_ref"])
        }
        for _number, values, problems in collaterals:
            ref = values.get("project_ref")
            if not ref:
                continue
            if ref in in_file:
                if not in_file[ref]:
                    problems.append(("project_ref", "the project's row has problems"))
            elif ref not in known:
                problems.append(("project_ref", "unknown project"))

    @staticmethod
    def _collateral_duplicate_problems(collaterals):
        """A counter-guarantee appears on one row only (same project and match key)."""
        seen = {}
        for number, values, problems in collaterals:
            if problems:
                continue
            key = (values["project_ref"], collateral_import.match_key(values))
            if key in seen:
                problems.append(("legacy_ref", "duplicate counter-guarantee (row %s)" % seen[key]))
            seen.setdefault(key, number)

    # ------------------------------------------------------------------ check (dry run)

    def _check_file(self):
        """Validate every row and record each problem; writes nothing else."""
        self.ensure_one()
        parsed = self._parse()
        reasons = self._reason_labels()
        labels = dict(self.env["guarantee.import.mapping.line"]._fields["target"]
                      ._description_selection(self.env))
        header_of = {target: header for header, target in json.loads(self.mapping_json).items()}
        lines = []
        for number, _values, problems in parsed:
            for target, reason in problems:
                lines.append({
                    "log_id": self.id,
                    "row": number,
                    "column": header_of.get(target) or labels.get(target, target),
                    "reason": self._translate_reason(reason, reasons),
                })
        bad = len({line["row"] for line in lines})
        collateral_header_of, collaterals = self._parse_collateral(parsed)
        collateral_labels = dict(collateral_import.COLUMNS)
        collateral_lines = [
            {
                "log_id": self.id,
                "sheet": COLLATERAL_SHEET,
                "row": number,
                "column": collateral_header_of.get(target) or collateral_labels[target],
                "reason": self._translate_reason(reason, reasons),
            }
            for number, _values, problems in collaterals
            for target, reason in problems
        ]
        self.line_ids.unlink()
        self.env["guarantee.import.log.line"].create(lines + collateral_lines)
        self.write({
            "row_count": len(parsed),
            "error_row_count": bad,
            "valid_row_count": len(parsed) - bad,
            "collateral_row_count": len(collaterals),
            "collateral_error_row_count": len({line["row"] for line in collateral_lines}),
            "state": "checked",
        })
        return parsed

    def _reason_labels(self):
        return {
            "missing": _("missing"),
            "not a number": _("not a number"),
            "not a date": _("not a date"),
            "not 是 or 否": _("not 是 or 否"),
            "unknown value": _("unknown value"),
            "unknown product": _("unknown product"),
            "unknown creditor": _("unknown bank"),
            "unknown manager": _("unknown manager"),
            "wrong ID card check digit": _("wrong ID card check digit"),
            "a USCC has 18 characters": _("a USCC has 18 characters"),
            "wrong USCC check character": _("wrong USCC check character"),
            "negative amount": _("negative amount"),
            "amount must be positive": _("amount must be positive"),
            "loan above the guaranteed amount": _("loan above the guaranteed amount"),
            "balance above the loan": _("balance above the loan"),
            "must be above 0 and at most 100": _("must be above 0 and at most 100"),
            "before the loan date": _("before the loan date"),
            "missing for this state": _("missing for this state"),
            "a loan date is given but the loan is not released": _(
                "a loan date is given but the loan is not released"
            ),
            "missing for a guarantee in force": _("missing for a guarantee in force"),
            "only a guarantee in force has a balance": _(
                "only a guarantee in force has a balance"
            ),
            "missing for a released guarantee": _("missing for a released guarantee"),
            "missing for a compensated guarantee": _("missing for a compensated guarantee"),
            "a compensation is given but the state is not compensated": _(
                "a compensation is given but the state is not compensated"
            ),
            "missing for a recovery": _("missing for a recovery"),
            "duplicate reference": _("duplicate reference (row %(row)s)"),
            "already the number of another project": _("already the number of another project"),
            "missing for this kind": _("missing for this kind"),
            "not an asset of this kind": _("not an asset of this kind"),
            "not the number of this kind of guarantor": _(
                "not the number of this kind of guarantor"
            ),
            "must be between 0 and 100": _("must be between 0 and 100"),
            "missing for a recognised value": _("missing for a recognised value"),
            "above the appraised value": _("above the appraised value"),
            "before the registration date": _("before the registration date"),
            "missing for a registered counter-guarantee": _(
                "missing for a registered counter-guarantee"
            ),
            "the project's row has problems": _("the project's row has problems"),
            "unknown project": _("unknown project"),
            "duplicate counter-guarantee": _("duplicate counter-guarantee (row %(row)s)"),
        }

    @staticmethod
    def _translate_reason(reason, reasons):
        for duplicate in ("duplicate reference", "duplicate counter-guarantee"):
            if reason.startswith(duplicate):
                row = reason.rsplit(" ", 1)[-1].rstrip(")")
                return reasons[duplicate] % {"row": row}
        return reasons.get(reason, reason)

    # ------------------------------------------------------------------ import

    def action_import(self):
        """Import the valid rows: at once for small files, as a queue job for large ones."""
        self.ensure_one()
        if self.state not in ("checked", "failed"):
            raise UserError(_("This file is already imported or queued."))
        valid_collaterals = self.collateral_row_count - self.collateral_error_row_count
        if not self.valid_row_count and not valid_collaterals:
            raise UserError(_("No row of this file is valid: nothing to import."))
        if self.row_count > QUEUE_THRESHOLD:
            self.write({"state": "queued", "progress": 0.0})
            self.with_delay(description=self.name)._run_import()
        else:
            self._run_import()
        return True

    def _run_import(self):
        """Create or update the customers, projects, compensations and recoveries of the valid
        rows; rows with problems are left out."""
        self.ensure_one()
        parsed = self._parse()
        good = [(number, values) for number, values, problems in parsed if not problems]
        importer = self.with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True,
            mail_create_nosubscribe=True,
        )
        partners = importer._import_partners([values for _n, values in good])
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for start in range(0, len(good), CHUNK):
            chunk = [values for _n, values in good[start:start + CHUNK]]
            for key, value in importer._import_projects(chunk, partners).items():
                counts[key] += value
            self._set_progress(100.0 * min(start + CHUNK, len(good)) / len(good))
        _header_of, collaterals = self._parse_collateral(parsed)
        collateral_counts = importer._import_collaterals(
            [values for _n, values, problems in collaterals if not problems]
        )
        self.write({
            "state": "done",
            "progress": 100.0,
            "created_count": counts["created"],
            "updated_count": counts["updated"],
            "unchanged_count": counts["unchanged"],
            "collateral_created_count": collateral_counts["created"],
            "collateral_updated_count": collateral_counts["updated"],
            "collateral_unchanged_count": collateral_counts["unchanged"],
            "date_done": fields.Datetime.now(),
        })
        return counts

    def _set_progress(self, progress):
        """Progress of a running job, visible to others at once (its own transaction)."""
        if self.env.registry.in_test_mode() or self.state != "queued":
            self.progress = progress
            return
        with self.env.registry.cursor() as cr:
            cr.execute(
                "UPDATE guarantee_import_log SET progress = %s WHERE id = %s", (progress, self.id)
            )

    def _import_partners(self, rows):
        """{USCC: partner id} of the rows' customers, created or updated from the ledger."""
        Partner = self.env["res.partner"]
        company = self.company_id
        by_uscc = {}
        for values in rows:
            by_uscc.setdefault(values["uscc"], values)
        # records, not search_read: a read masks the ID numbers of persons
        existing = Partner.with_context(active_test=False).search(
            [("uscc", "in", list(by_uscc)), ("company_id", "in", (False, company.id))]
        )
        found = {partner.uscc: partner for partner in existing}
        to_create = []
        for number, values in by_uscc.items():
            vals = {
                "name": values["partner_name"],
                "legal_representative": values.get("legal_representative") or False,
                "enterprise_scale": values.get("enterprise_scale") or False,
                "is_agricultural": bool(values.get("is_agricultural")),
            }
            record = found.get(number)
            if not record:
                to_create.append(dict(
                    vals, uscc=number, is_company=values["partner_kind"] == "company",
                    is_guarantee_customer=True, company_id=company.id,
                ))
                continue
            changed = {key: value for key, value in vals.items() if record[key] != value}
            if changed:
                record.write(changed)
        created = create_unaudited(Partner, to_create) if to_create else Partner
        result = {partner.uscc: partner.id for partner in existing}
        result.update({partner.uscc: partner.id for partner in created})
        return result

    def _project_vals(self, values, partners):
        loan = values.get("loan_amount") or (
            values["amount"] if values["state"] in ledger_import.LOANED_STATES else 0.0
        )
        outstanding = values.get("outstanding") or 0.0
        start, end = values.get("loan_release_date"), values.get("date_end")
        term = values.get("term_months") or (
            ledger_import.months_between(start, end) if start and end else 12
        )
        vals = {
            "partner_id": partners[values["uscc"]],
            "product_id": values["product"],
            "creditor_id": values.get("creditor") or False,
            "manager_id": values.get("manager") or self.env.uid,
            "amount": values["amount"],
            "term_months": int(term),
            "date_start": start or False,
            "date_end": end or False,
            "loan_release_date": start or False,
            "loan_amount_released": loan,
            "principal_repaid": loan - outstanding if loan else 0.0,
            "risk_class": values.get("risk_class") or "normal",
            "state": values["state"],
            "date_released": values.get("date_released") or False,
        }
        for key in ("fee_rate", "own_share"):
            if values.get(key) is not None:
                vals[key] = values[key]
        return vals

    def _import_projects(self, rows, partners):
        """Create the new projects of ``rows`` and update the changed ones, by legacy_ref."""
        Project = self.env["guarantee.project"]
        existing = Project.with_context(active_test=False).search_read(
            [("legacy_ref", "in", [v["legacy_ref"] for v in rows]),
             ("company_id", "=", self.company_id.id)],
            ["legacy_ref", *PROJECT_FIELDS],
        )
        found = {record["legacy_ref"]: record for record in existing}
        to_create, created_rows = [], []
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for values in rows:
            vals = self._project_vals(values, partners)
            record = found.get(values["legacy_ref"])
            if not record:
                # an imported project keeps its ledger number (no sequence number per row)
                to_create.append(dict(
                    vals, name=values["legacy_ref"], legacy_ref=values["legacy_ref"],
                    company_id=self.company_id.id, import_log_id=self.id,
                ))
                created_rows.append(values)
                continue
            changed = self._changed(record, vals)
            if changed:
                Project.browse(record["id"])._write_imported(dict(changed, import_log_id=self.id))
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        if to_create:
            projects = Project._create_imported(to_create)
            counts["created"] = len(projects)
            self._import_money(projects, created_rows)
        return counts

    @staticmethod
    def _changed(record, vals):
        """The values of ``vals`` that differ from the read ``record``."""
        changed = {}
        for key, value in vals.items():
            current = record[key]
            if isinstance(current, tuple):
                current = current[0]
            if isinstance(value, float) or isinstance(current, float):
                if fen_float(float(current or 0.0) - float(value or 0.0)):
                    changed[key] = value
            elif (current or False) != (value or False):
                changed[key] = value
        return changed

    def _import_money(self, projects, rows):
        """Compensations and recoveries of newly imported projects, as history (no entries:
        the opening balances of the ledger are the accountants' migration)."""
        compensations, recoveries = [], []
        for project, values in zip(projects, rows, strict=True):
            if values.get("compensation_amount"):
                compensations.append({
                    "name": project.legacy_ref,
                    "project_id": project.id,
                    "principal": values["compensation_amount"],
                    "demand_date": values["compensation_date"],
                    "date_paid": values["compensation_date"],
                    "state": "paid",
                    "note": _("Imported from the ledger %(file)s.", file=self.name),
                })
            if values.get("recovery_amount"):
                recoveries.append({
                    "name": project.legacy_ref,
                    "project_id": project.id,
                    "amount": values["recovery_amount"],
                    "date": values["recovery_date"],
                    "state": "posted",
                    "note": _("Imported from the ledger %(file)s.", file=self.name),
                })
        # Guarantee administrators, who alone reach the import, only read money records; the
        # history they migrate is written as superuser, marked imported, under this import log.
        if compensations:
            create_unaudited(
                self.env["guarantee.compensation"].sudo()._unlocked(history=True), compensations
            )
        if recoveries:
            create_unaudited(
                self.env["guarantee.recovery"].sudo()._unlocked(history=True), recoveries
            )

    # ------------------------------------------------------------------ counter-guarantees

    def _import_collaterals(self, rows):
        """Create the new counter-guarantees of ``rows`` in their ledger state and update the
        imported ones that changed; one entered by hand and matched by a row is left as is."""
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        if not rows:
            return counts
        Collateral = self.env["guarantee.collateral"]
        projects = {
            record["legacy_ref"]: record["id"]
            for record in self.env["guarantee.project"].with_context(active_test=False)
            .search_read([("legacy_ref", "in", list({v["project_ref"] for v in rows})),
                          ("company_id", "=", self.company_id.id)], ["legacy_ref"])
        }
        owners = self._import_owners(rows)
        existing = Collateral.search_read(
            [("project_id", "in", list(projects.values()))],
            ["project_id", "legacy_ref", "registration_no", "import_log_id", *COLLATERAL_FIELDS],
        )
        found = {}
        for record in existing:
            found.setdefault((record["project_id"][0], self._collateral_key(record)), record)
        to_create = []
        for values in rows:
            vals = self._collateral_vals(values, projects, owners)
            record = found.get((vals["project_id"], self._collateral_key(vals)))
            if not record:
                to_create.append(dict(vals, legacy_ref=values.get("legacy_ref") or False,
                                      import_log_id=self.id))
                continue
            changed = self._changed(record, vals) if record["import_log_id"] else {}
            if changed:
                # the ledger's state is history: it may not follow the actions' graph
                Collateral.browse(record["id"])._unlocked(history=True).write(
                    dict(changed, import_log_id=self.id)
                )
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        if to_create:
            counts["created"] = len(create_unaudited(Collateral._unlocked(), to_create))
        return counts

    @staticmethod
    def _collateral_key(record):
        """The key of ``collateral_import.match_key`` for a read record or its import values."""
        if record.get("legacy_ref"):
            return ("ref", record["legacy_ref"])
        owner = record["owner_id"]
        owner = owner[0] if isinstance(owner, (tuple, list)) else owner
        return ("owner", record["kind"], owner, record.get("registration_no") or "")

    @staticmethod
    def _collateral_vals(values, projects, owners):
        vals = {
            "project_id": projects[values["project_ref"]],
            "name": values["name"],
            "kind": values["kind"],
            "asset_type": values["asset_type"],
            "owner_id": owners[values["owner_id_no"]],
            "appraised_value": values.get("appraised_value") or 0.0,
            "registration_no": values.get("registration_no") or False,
            "registration_authority": values.get("registration_authority") or False,
            "registration_date": values.get("registration_date") or False,
            "registration_expiry": values.get("registration_expiry") or False,
            "state": values["state"],
        }
        if values.get("legacy_ref"):
            vals["legacy_ref"] = values["legacy_ref"]
        if values.get("haircut") is not None:
            vals["haircut"] = values["haircut"]
        return vals

    def _import_owners(self, rows):
        """{USCC or ID number: partner id} of the owners and guarantors, matched by their
        number or created; a guarantor is put in the customer archive, as it must be."""
        Partner = self.env["res.partner"]
        by_number = {}
        for values in rows:
            by_number.setdefault(values["owner_id_no"], dict(values, guarantor=False))
            if values["kind"] == "guarantor":
                by_number[values["owner_id_no"]]["guarantor"] = True
        # records, not search_read: a read masks the ID numbers of persons
        existing = Partner.with_context(active_test=False).search(
            [("uscc", "in", list(by_number)), ("company_id", "in", (False, self.company_id.id))]
        )
        result = {partner.uscc: partner.id for partner in existing}
        to_archive = existing.filtered(
            lambda p: by_number[p.uscc]["guarantor"] and not p.is_guarantee_customer
        )
        if to_archive:
            to_archive.write({"is_guarantee_customer": True})
        to_create = [
            {
                "name": values["owner_name"],
                "uscc": number,
                "is_company": values["owner_kind"] == "company",
                "is_guarantee_customer": values["guarantor"],
                "company_id": self.company_id.id,
            }
            for number, values in by_number.items() if number not in result
        ]
        if to_create:
            result.update({partner.uscc: partner.id
                           for partner in create_unaudited(Partner, to_create)})
        return result


class GuaranteeImportLogLine(models.Model):
    _name = "guarantee.import.log.line"
    _description = "Ledger Import Problem"
    _order = "sheet desc, row, id"

    log_id = fields.Many2one("guarantee.import.log", required=True, ondelete="cascade",
                             index=True)
    sheet = fields.Char(help="Empty for the projects' sheet.")
    row = fields.Integer(required=True)
    column = fields.Char(required=True)
    reason = fields.Char(required=True)
