"""Sign-in security: lockout, throttles, two-factor sign-in for staff, staff session length,
and the audit trail of who opened which patient's record (README, "Security")."""
