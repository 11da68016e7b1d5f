"""Tests of the Excel layer: the VBA project generator and the add-in."""
