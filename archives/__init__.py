"""Talks, quarterly assessment and the two personnel archives with their PDF printing."""
