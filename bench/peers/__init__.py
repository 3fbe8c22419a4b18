"""Peer badge engines (pinax-badges, django-badgify) measured on the same awards."""
