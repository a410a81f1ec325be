"""Refusals checked by their exact class and their message.

In Odoo 18 ``AccessError``, ``ValidationError`` and ``MissingError`` are subclasses of
``UserError``: ``assertRaises(UserError)``, and ``assertRaisesRegex(UserError, ...)`` as well,
also pass when the call was stopped by an access rule instead of the business rule the test
is about.
"""

import re
from contextlib import contextmanager


class RefusalAssertions:
    """For an Odoo test case: ``with self.assertRaisesExactly(UserError, "pattern"):``."""

    @contextmanager
    def assertRaisesExactly(self, exception, pattern):
        """The block raises ``exception`` itself (not a subclass) with a message matching the
        regular expression ``pattern``.

        The block runs inside Odoo's ``assertRaises`` (a savepoint rolled back on the error, and
        the cache cleared first for access errors), which ``assertRaisesRegex`` does not do.
        """
        with self.assertRaises(exception) as caught:
            yield caught
        error = caught.exception
        self.assertIs(
            type(error), exception,
            "expected %s, got %s: %s" % (exception.__name__, type(error).__name__, error),
        )
        self.assertTrue(
            re.search(pattern, str(error)),
            "%r not found in the %s message: %s" % (pattern, exception.__name__, error),
        )
