"""Stage 1, in: read the data files, validate them against their dictionaries, import the controller's workbook."""
