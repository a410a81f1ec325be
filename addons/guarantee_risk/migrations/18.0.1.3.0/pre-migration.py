"""Scorecards, scoring and first review moved to guarantee_scoring (issue 24).

That addon is new: an update of guarantee_risk alone would leave guarantee_contract, which now
depends on it, unloaded. The update is refused unless guarantee_scoring is being installed in
the same run (all guarantee addons updated together). Then, before guarantee_risk loads its new
data, the external ids of the moved models, fields, views, menus, data and access rules are
handed over to guarantee_scoring: without it, the views of the scores would be checked against
guarantee_risk's models (which no longer have their fields), the end of the update would delete
the rest as removed from guarantee_risk (tables, columns, data), and guarantee_scoring would
create its data a second time. This is the one place a lower addon names a higher one's models
(the layering test leaves migrations out): it gives them away.
"""

import logging

_logger = logging.getLogger(__name__)

# the models defined by guarantee_scoring
MODELS = (
    "guarantee.prescreen.rule", "guarantee.scorecard", "guarantee.scorecard.bin",
    "guarantee.scorecard.characteristic", "guarantee.scorecard.feature",
    "guarantee.scorecard.grade", "guarantee.scorecard.psi", "guarantee.scorecard.psi.line",
    "guarantee.scorecard.score", "guarantee.scorecard.train.wizard",
)
# the fields guarantee_scoring adds to the models of lower addons
FIELDS = {
    "guarantee.product": (
        "score_required_step",
    ),
    "guarantee.project": (
        "financial_ratio_values", "financial_statement_id", "grade", "pd", "prescreen_date",
        "prescreen_reasons", "prescreen_result", "score", "score_date", "score_ids",
        "score_outcome", "score_reasons", "score_required_step", "scorecard_id",
    ),
    "guarantee.review": (
        "project_grade", "project_pd", "project_prescreen_reasons", "project_prescreen_result",
        "project_score", "project_score_reasons", "project_scorecard_id",
    ),
    "res.company": (
        "guarantee_psi_alert_threshold", "guarantee_scorecard_queue_rows",
    ),
    "res.config.settings": (
        "guarantee_psi_alert_threshold", "guarantee_scorecard_queue_rows",
    ),
    "res.partner": (
        "guarantee_score", "guarantee_score_date", "guarantee_score_grade", "guarantee_score_pd",
        "licence_expiry_date",
    ),
}
# the records of guarantee_scoring's data, views, security and demo files
XMLIDS = (
    "access_guarantee_prescreen_rule_admin", "access_guarantee_prescreen_rule_risk",
    "access_guarantee_prescreen_rule_user", "access_guarantee_scorecard_admin",
    "access_guarantee_scorecard_bin_admin", "access_guarantee_scorecard_bin_risk",
    "access_guarantee_scorecard_bin_user", "access_guarantee_scorecard_characteristic_admin",
    "access_guarantee_scorecard_characteristic_risk",
    "access_guarantee_scorecard_characteristic_user", "access_guarantee_scorecard_feature_admin",
    "access_guarantee_scorecard_feature_user", "access_guarantee_scorecard_grade_admin",
    "access_guarantee_scorecard_grade_risk", "access_guarantee_scorecard_grade_user",
    "access_guarantee_scorecard_psi_admin", "access_guarantee_scorecard_psi_line_user",
    "access_guarantee_scorecard_psi_user", "access_guarantee_scorecard_risk",
    "access_guarantee_scorecard_score_user", "access_guarantee_scorecard_train_wizard_admin",
    "access_guarantee_scorecard_train_wizard_risk", "access_guarantee_scorecard_user",
    "auditlog_rule_guarantee_prescreen_rule", "auditlog_rule_guarantee_scorecard",
    "auditlog_rule_guarantee_scorecard_bin", "auditlog_rule_guarantee_scorecard_grade",
    "guarantee_prescreen_rule_action", "guarantee_prescreen_rule_menu",
    "guarantee_prescreen_rule_rule_company", "guarantee_prescreen_rule_view_list",
    "guarantee_prescreen_rule_view_list_financial", "guarantee_product_view_form_score",
    "guarantee_project_view_form_score", "guarantee_project_view_list_score",
    "guarantee_review_view_form_score", "guarantee_scorecard_action",
    "guarantee_scorecard_bin_rule_company", "guarantee_scorecard_characteristic_rule_company",
    "guarantee_scorecard_feature_action", "guarantee_scorecard_feature_menu",
    "guarantee_scorecard_feature_view_list", "guarantee_scorecard_grade_rule_company",
    "guarantee_scorecard_menu", "guarantee_scorecard_psi_rule_company",
    "guarantee_scorecard_rule_company", "guarantee_scorecard_score_rule_committee",
    "guarantee_scorecard_score_rule_company", "guarantee_scorecard_score_rule_project_manager",
    "guarantee_scorecard_score_rule_read_all", "guarantee_scorecard_train_wizard_action",
    "guarantee_scorecard_train_wizard_menu", "guarantee_scorecard_train_wizard_view_form",
    "guarantee_scorecard_view_form", "guarantee_scorecard_view_list",
    "guarantee_scorecard_view_search", "ir_cron_scorecard_monitor", "prescreen_rule_controller",
    "prescreen_rule_coverage", "prescreen_rule_debt_ratio", "prescreen_rule_debt_ratio_demo",
    "prescreen_rule_documents", "prescreen_rule_financial_missing",
    "prescreen_rule_financial_missing_demo", "prescreen_rule_industry", "prescreen_rule_licence",
    "prescreen_rule_limits", "prescreen_rule_no_score", "prescreen_rule_score_decline",
    "prescreen_rule_score_review", "res_config_settings_view_form_scorecard",
    "res_partner_view_form_score", "scorecard_feature_amount", "scorecard_feature_business_type",
    "scorecard_feature_company_age", "scorecard_feature_coverage_ratio",
    "scorecard_feature_enterprise_scale", "scorecard_feature_fin_cfo_to_current_liabilities",
    "scorecard_feature_fin_current_ratio", "scorecard_feature_fin_debt_ratio",
    "scorecard_feature_fin_interest_coverage", "scorecard_feature_fin_inventory_days",
    "scorecard_feature_fin_payable_days", "scorecard_feature_fin_profit_margin",
    "scorecard_feature_fin_quick_ratio", "scorecard_feature_fin_receivable_days",
    "scorecard_feature_fin_revenue_growth", "scorecard_feature_fin_roe",
    "scorecard_feature_industry", "scorecard_feature_is_agricultural",
    "scorecard_feature_own_share", "scorecard_feature_region",
    "scorecard_feature_registered_capital", "scorecard_feature_term_months",
)


def migrate(cr, version):
    if not version:
        return
    cr.execute("SELECT name, state FROM ir_module_module WHERE name IN %s",
               [("guarantee_contract", "guarantee_scoring")])
    states = dict(cr.fetchall())
    if states.get("guarantee_contract") == "installed" and states.get("guarantee_scoring") not in (
        "to install", "installed", "to upgrade"
    ):
        # no translation: a migration runs before any language is loaded
        raise RuntimeError(
            "guarantee_scoring is new: scorecards, scoring and first review moved there from "
            "guarantee_risk. Update every guarantee addon at once, e.g. -u guarantee_platform,"
            "guarantee_base,guarantee_risk,guarantee_scoring,guarantee_contract,"
            "guarantee_accounting,guarantee_reporting,guarantee_api (or -u all), so that "
            "guarantee_scoring is installed as guarantee_contract's new dependency."
        )
    # res.users shows the partner's fields through _inherits: its copies move with them
    fields = dict(FIELDS, **{"res.users": FIELDS["res.partner"]})
    pairs = [(model, name) for model, names in fields.items() for name in names]
    cr.execute(
        """
        UPDATE ir_model_data imd SET module = 'guarantee_scoring'
          FROM ir_model_fields field
         WHERE imd.module = 'guarantee_risk' AND imd.model = 'ir.model.fields'
           AND imd.res_id = field.id
           AND (field.model IN %s OR (field.model, field.name) IN %s)
        """,
        [MODELS, tuple(pairs)],
    )
    moved = cr.rowcount
    cr.execute(
        """
        UPDATE ir_model_data imd SET module = 'guarantee_scoring'
          FROM ir_model_fields_selection selection
          JOIN ir_model_fields field ON field.id = selection.field_id
         WHERE imd.module = 'guarantee_risk' AND imd.model = 'ir.model.fields.selection'
           AND imd.res_id = selection.id
           AND (field.model IN %s OR (field.model, field.name) IN %s)
        """,
        [MODELS, tuple(pairs)],
    )
    moved += cr.rowcount
    for table, model_column in (("ir_model", "model"),):
        cr.execute(
            f"""
            UPDATE ir_model_data imd SET module = 'guarantee_scoring'
              FROM {table} rec
             WHERE imd.module = 'guarantee_risk' AND imd.model = 'ir.model'
               AND imd.res_id = rec.id AND rec.{model_column} IN %s
            """,
            [MODELS],
        )
        moved += cr.rowcount
    for table, imd_model in (("ir_model_constraint", "ir.model.constraint"),
                             ("ir_model_relation", "ir.model.relation")):
        cr.execute(
            f"""
            UPDATE ir_model_data imd SET module = 'guarantee_scoring'
              FROM {table} rec
              JOIN ir_model model ON model.id = rec.model
             WHERE imd.module = 'guarantee_risk' AND imd.model = %s
               AND imd.res_id = rec.id AND model.model IN %s
            """,
            [imd_model, MODELS],
        )
        moved += cr.rowcount
    # a cron's server action has the cron's id with a suffix
    names = XMLIDS + tuple(f"{name}_ir_actions_server" for name in XMLIDS)
    cr.execute(
        "UPDATE ir_model_data SET module = 'guarantee_scoring'"
        " WHERE module = 'guarantee_risk' AND name IN %s",
        [names],
    )
    moved += cr.rowcount
    # the constraints and relations of the module are also listed per module
    cr.execute(
        """
        UPDATE ir_model_constraint SET module = (
               SELECT id FROM ir_module_module WHERE name = 'guarantee_scoring')
         WHERE module = (SELECT id FROM ir_module_module WHERE name = 'guarantee_risk')
           AND model IN (SELECT id FROM ir_model WHERE model IN %s)
           AND EXISTS (SELECT 1 FROM ir_module_module WHERE name = 'guarantee_scoring')
        """,
        [MODELS],
    )
    _logger.info("%s external ids handed over from guarantee_risk to guarantee_scoring", moved)
