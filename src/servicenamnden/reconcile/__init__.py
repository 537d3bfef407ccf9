"""Stage 4, check: avstämningar of the data, against themselves and against the published document's claims."""
