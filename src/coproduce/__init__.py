"""Coproduce: the platform a co-produced Mental Health Act quality-improvement programme runs on."""

__version__ = "0.1.0"
