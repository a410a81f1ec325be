"""A real Odoo process for the payment-order crash test (test_payment_order_crash.py).

    python3 payment_order_process.py PHASE DATABASE BANK_URL [odoo options…]

Phases, each in a process of its own, every transaction committed for real:
- ``send``: a project in force, an approved compensation and its payment order to the bank at
  BANK_URL (prints ``ORDER <id> <request id>``), committed; then sends the order (the test kills
  this process while the bank hangs);
- ``resume``: what a restarted server does: the polling job (``_cron_poll_status``); prints
  ``STATE <state>``.
"""

import sys

import odoo
from odoo import SUPERUSER_ID, api


def _say(line):
    """One line for the test that reads this process's output."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _setup(env, bank_url):
    company = env.company
    company._guarantee_setup_accounting()
    env["tier.definition"].search([("model", "=", "guarantee.compensation")]).active = False
    groups = "guarantee_base.group_guarantee_"
    Users = env["res.users"].with_context(no_reset_password=True)
    manager = Users.create({"name": "崩溃测试经理", "login": "crash_pm",
                            "groups_id": [(6, 0, [env.ref(groups + "project_manager").id])]})
    assistant = Users.create({"name": "崩溃测试B角", "login": "crash_pm_b",
                              "groups_id": [(6, 0, [env.ref(groups + "project_manager").id])]})
    customer = env["res.partner"].create({"name": "崩溃测试有限公司", "is_company": True,
                                          "is_guarantee_customer": True})
    creditor = env["res.partner"].create({"name": "崩溃测试银行", "is_company": True})
    env["res.partner.bank"].create({"partner_id": creditor.id, "acc_number": "6222000099990001"})
    product = env["guarantee.product"].create({
        "name": "崩溃测试流贷担保", "code": "CRASH", "business_type": "loan",
        "default_fee_rate": 1.5, "default_margin_rate": 10,
        "committee_threshold": 100000000,
    })
    project = env["guarantee.project"].create({
        "partner_id": customer.id, "product_id": product.id, "creditor_id": creditor.id,
        "amount": 1_000_000, "term_months": 12, "date_start": "2026-01-01",
        "manager_id": manager.id, "assistant_id": assistant.id,
        "investigation_summary": "<p>经营正常</p>",
    })
    for step in ("accept", "start_investigation", "submit_review", "approve", "contract"):
        project._do_transition(step)
    project.write({"loan_release_date": "2026-01-05", "loan_amount_released": 800_000})
    project._do_transition("activate")
    compensation = env["guarantee.compensation"].create({
        "project_id": project.id, "demand_date": "2026-06-30", "principal": 500_000,
        "interest": 12_000, "bank_reference": "CRASH-1",
    })
    compensation.action_approve()
    env["guarantee.bank.connector"].create({
        "name": "崩溃测试直连", "protocol": "rest", "url": bank_url,
        "account_number": "33001616100059000888",
        "journal_id": company.guarantee_bank_journal_id.id, "secret": "crash-test-key",
        "timeout": 60.0, "max_retries": 0, "backoff": 0.01,
    })
    order = env["guarantee.payment.order"].browse(
        compensation.action_create_payment_order()["res_id"])
    _say("ORDER %s %s" % (order.id, order.request_id))
    return order


def main(argv):
    phase, database, bank_url, *options = argv
    odoo.tools.config.parse_config(["-d", database, *options])
    registry = odoo.modules.registry.Registry(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if phase == "send":
            order = _setup(env, bank_url)
            cr.commit()
            order.action_send()
            _say("SENT")
        elif phase == "resume":
            env["guarantee.payment.order"]._cron_poll_status()
    if phase == "resume":  # read what the job committed, in a transaction that sees it
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            order = env["guarantee.payment.order"].search([], limit=1, order="id desc")
            _say("STATE %s" % order.state)


if __name__ == "__main__":
    main(sys.argv[1:])
