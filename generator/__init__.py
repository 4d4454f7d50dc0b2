"""Static disclosure-column generator for budget-performance information (预算绩效管理信息公开)."""

__version__ = "0.1.0"
