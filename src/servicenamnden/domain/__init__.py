"""Stage 2, compute: the domain's figures as pure functions on DataFrames, one module per subject."""
