"""Power catalog, risk points, personal risk tables and the monthly self-check."""
