"""Two committee members, or a member and the chair, act at the same moment.

Each transaction runs on its own database connection (as two web requests do), so the votes
and the decision really race. Whatever the interleaving, every vote has exactly one effect:
it is counted by the decision or refused, never recorded after it nor missed by it.
"""

from contextlib import contextmanager

import psycopg2.errors

from odoo import api, sql_db
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .committed import CommittedRows
from .refusals import RefusalAssertions


@tagged("post_install", "-at_install")
class TestReviewConcurrency(RefusalAssertions, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.review_id = cls.env.ref("guarantee_base.review_reviewing_demo").id
        cls.users = {
            login: cls.env.ref("guarantee_base.user_%s" % xmlid).id
            for login, xmlid in (("sun", "committee_sun"), ("zhou", "committee_zhou"),
                                 ("chair", "committee_zhao"))
        }

    def setUp(self):
        super().setUp()
        # the demo meeting, its votes and the company's quorum are put back as they were,
        # and every row the votes and the decision wrote (chatter, audit, chain) is removed
        self.rows = CommittedRows(self.env.cr.dbname, kept_tables=(
            "guarantee_review", "guarantee_review_vote", "res_company",
        ))
        self.rows.snapshot()
        self.addCleanup(self.rows.remove)
        with self._env("chair") as env:
            review = env["guarantee.review"].browse(self.review_id)
            self.assertEqual(review.state, "voting")
            review.company_id.sudo().guarantee_committee_quorum = 2

    @contextmanager
    def _env(self, who):
        """An environment on a connection of its own, committed at the end of the block."""
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            yield api.Environment(cr, self.users[who], {})

    def _open(self, who):
        """A transaction that has taken its snapshot, left open for the test to finish."""
        cr = sql_db.db_connect(self.env.cr.dbname).cursor()
        self.addCleanup(cr.close)
        cr.execute("SELECT state FROM guarantee_review WHERE id = %s", [self.review_id])
        return api.Environment(cr, self.users[who], {})

    @mute_logger("odoo.sql_db")  # a refused concurrent update is logged as a bad query
    def _vote(self, env, member, vote):
        line = env["guarantee.review.vote"].search(
            [("review_id", "=", self.review_id), ("member_id", "=", self.users[member])]
        )
        line.write({"vote": vote})
        env.flush_all()

    @mute_logger("odoo.sql_db")
    def _decide(self, env):
        env["guarantee.review"].browse(self.review_id).action_decide()
        env.flush_all()

    def _votes(self):
        with self._env("chair") as env:
            return dict(env["guarantee.review.vote"].sudo().search(
                [("review_id", "=", self.review_id)]
            ).mapped(lambda line: (line.member_id.id, line.vote)))

    def test_two_members_voting_at_once_both_count_once(self):
        """Each vote rewrites the meeting's row (``_touch_reviews``): the later of two votes
        whose snapshots do not see each other fails to serialize, and Odoo runs its request
        again, now seeing the first; both count once."""
        sun, zhou = self._open("sun"), self._open("zhou")
        self._vote(sun, "sun", "approve")
        sun.cr.commit()
        with self.assertRaises(psycopg2.errors.SerializationFailure):
            self._vote(zhou, "zhou", "reject")
        zhou.cr.rollback()
        with self._env("zhou") as retry:  # what Odoo does with a request that failed
            self._vote(retry, "zhou", "reject")
        votes = self._votes()
        self.assertEqual(votes[self.users["sun"]], "approve")
        self.assertEqual(votes[self.users["zhou"]], "reject")

    def test_a_vote_cast_while_the_chair_decides_is_counted_by_the_decision(self):
        self._vote_and_commit("sun", "approve")
        chair, zhou = self._open("chair"), self._open("zhou")
        self._vote(zhou, "zhou", "reject")
        zhou.cr.commit()
        with self.assertRaises(psycopg2.errors.SerializationFailure):
            self._decide(chair)  # counted 2 votes of a meeting that now has 3
        chair.cr.rollback()
        with self._env("chair") as retry:
            self._decide(retry)
            review = retry["guarantee.review"].browse(self.review_id)
            self.assertEqual((review.vote_cast_count, review.vote_reject_count), (3, 1))

    def test_a_vote_after_the_decision_is_refused(self):
        self._vote_and_commit("sun", "approve")
        zhou, chair = self._open("zhou"), self._open("chair")
        self._decide(chair)
        chair.cr.commit()
        with self.assertRaises(psycopg2.errors.SerializationFailure):
            self._vote(zhou, "zhou", "reject")
        zhou.cr.rollback()
        with self.assertRaisesExactly(UserError, "的投票尚未开始。"), self._env("zhou") as retry:
            self._vote(retry, "zhou", "reject")
        self.assertFalse(self._votes()[self.users["zhou"]])

    def _vote_and_commit(self, member, vote):
        with self._env(member) as env:
            self._vote(env, member, vote)
