"""Test clients' sessions: a client logged in by ``force_login`` stands for someone who has passed both factors."""

from django.test import Client

from integrity.middleware import SECOND_FACTOR


def passed_second_factor(client: Client) -> None:
    session = client.session
    session.pop(SECOND_FACTOR, None)
    session.save()
