"""Readers for ticket exports (.xlsx/.xlsm via fastexcel, .csv) into raw tables."""
