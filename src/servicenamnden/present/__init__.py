"""Stage 3, show: Swedish formatting, tables, charts, the prose's values and open data, all at the edge."""
