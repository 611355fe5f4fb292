"""Vidu Studio: a native desktop studio for Vidu Q1 reference-to-video generation."""

__version__ = "0.1.0"
