"""Rasa actions: thin adapters from the tracker to the qualifier package."""
