"""Kudos and achievement badges for mentoring programs."""
