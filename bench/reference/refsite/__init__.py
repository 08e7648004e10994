"""A bare django-formtools wizard: the yardstick for the real wizard's step round trip."""
