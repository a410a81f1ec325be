from odoo import models


class GuaranteeDueDiligencePdf(models.AbstractModel):
    """The due-diligence report gets a section with the project's score and first review,
    before the risks found."""

    _inherit = "guarantee.due.diligence.pdf"

    def _sections(self):
        sections = super()._sections()
        sections.insert(sections.index(self._section_risks), self._section_score)
        return sections

    def _section_score(self, doc, report, number):
        _ = self.env._
        project = report.project_id
        self._heading(doc, number, _("Score and First Review"))
        if project.score_date:
            doc.text(_("Score %(score).1f, grade %(grade)s, probability of default %(pd).2f%% "
                       "(scorecard %(scorecard)s).", score=project.score, grade=project.grade,
                       pd=project.pd * 100, scorecard=project.scorecard_id.name or "-"))
            if project.score_reasons:
                doc.text("%s：%s" % (_("Reason codes"), project.score_reasons.replace("\n", "、")),
                         "small")
        else:
            doc.text(_("The project has no score."))
        if project.prescreen_date:
            doc.text("%s：%s" % (_("First review"), self._label(project, "prescreen_result")))
            doc.text(project.prescreen_reasons or "", "small")
