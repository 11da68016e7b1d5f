"""csxl: customer-service plans, KPIs and scoring in Excel."""

__version__ = "0.1.0"
