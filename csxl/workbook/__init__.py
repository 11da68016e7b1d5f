"""Workbook layer (openpyxl): layout, sheets, reader, writer."""
