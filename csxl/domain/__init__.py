"""Domain: tickets, KPIs, scoring, calendars (pandas; no Excel library)."""
