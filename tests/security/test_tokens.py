"""Every key to someone's data is random enough that nobody can guess it: at least 128 bits.

The keys: the token of a check (the resume link /draft/<token>/, the result /result/<token>/ and the link a
consultant sends a client are all this one token), the reminder's confirm and cancel links, the password-reset
and invitation links, and the session key of someone logged in. Every model field that looks like a key is
listed in KEY_FIELDS with where its value comes from, so a new one fails here until someone has looked at it.
"""

from __future__ import annotations

import base64
import math
import re

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.backends.db import SessionStore

from compliance_wizard.assessments.models import Assessment, new_token
from compliance_wizard.assessments.services import draft_start
from compliance_wizard.reminders import services as reminders
from compliance_wizard.workspace.services import client_assessment_start
from tests.workspace import add_client

pytestmark = pytest.mark.django_db

MIN_BITS = 128
SAMPLES = 200

# (app label, model, field) -> where its value comes from.
KEY_FIELDS = {
    ("assessments", "assessment", "token"): "secrets.token_urlsafe(32), 256 bits (assessments/models.py new_token)",
    ("workspace", "consultant", "calendar_token"): "secrets.token_urlsafe(32), 256 bits, revocable (services.py)",
    ("assessments", "assessment", "content_hash"): "hash of the checklist's rules: a version stamp, not a secret",
    ("assessments", "reportfile", "key"): "language, content hash, renderer version: a cache key, not a secret",
    ("reminders", "reminder", "confirm_digest"): "SHA-256 of a secrets.token_urlsafe(32) mailed once",
    ("reminders", "reminder", "sent_digest"): "SHA-256 of a secrets.token_urlsafe(32) mailed once",
    ("reminders", "changenotice", "confirm_digest"): "SHA-256 of a secrets.token_urlsafe(32) mailed once",
    ("reminders", "changenoticesent", "cancel_digest"): "SHA-256 of a secrets.token_urlsafe(32) mailed once",
    ("reminders", "confirmationsent", "check_key"): "HMAC of the check's id: a counter key, never in a link",
    ("reminders", "confirmationsent", "address_key"): "HMAC of an e-mail address: a counter key, never in a link",
    ("sessions", "session", "session_key"): "Django's get_random_string(32) from [a-z0-9], 165 bits",
}
KEY_LIKE = re.compile(r"token|digest|key|secret|hash|nonce")


def urlsafe_bits(token: str) -> int:
    return len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8


def assert_random(tokens: list[str], bits_of) -> None:
    assert len(set(tokens)) == len(tokens)  # no repeats in SAMPLES draws
    assert min(bits_of(token) for token in tokens) >= MIN_BITS


def test_every_key_like_field_of_every_model_has_been_looked_at():
    found = {
        (model._meta.app_label, model._meta.model_name, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if KEY_LIKE.search(field.name) and not field.is_relation
    }
    assert found == set(KEY_FIELDS)


def test_the_token_of_a_check_is_256_random_bits(whatsapp):
    assert_random([new_token() for _ in range(SAMPLES)], urlsafe_bits)
    assert urlsafe_bits(draft_start(whatsapp, "de", "Malerbetrieb Krause").token) == 256


def test_the_link_a_consultant_sends_a_client_carries_the_same_kind_of_token(whatsapp, dana):
    draft = client_assessment_start(add_client(dana), whatsapp, "de")
    assert urlsafe_bits(draft.token) == 256
    assert Assessment.objects.get(token=draft.token).client.consultant == dana


def test_reminder_links_are_256_random_bits_and_only_their_hash_is_stored():
    pairs = [reminders.new_token() for _ in range(SAMPLES)]
    assert_random([token for token, _ in pairs], urlsafe_bits)
    for token, digest in pairs:
        assert digest == reminders.digest(token) and token not in digest


def test_reset_and_invitation_links_carry_a_128_bit_signature(dana):
    """Django's PasswordResetTokenGenerator: a timestamp and half of an HMAC-SHA256 over the user's state."""
    _timestamp, signature = default_token_generator.make_token(dana.user).split("-")
    assert re.fullmatch(r"[0-9a-f]{32}", signature)
    assert len(signature) * 4 >= MIN_BITS


def test_session_keys_are_random():
    keys = [SessionStore()._get_new_session_key() for _ in range(SAMPLES)]
    assert_random(keys, lambda key: math.floor(len(key) * math.log2(36)))
    assert all(re.fullmatch(r"[a-z0-9]{32}", key) for key in keys)
