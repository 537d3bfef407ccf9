"""Tooling around Quarto: execution as Quarto does it, static checks, the preview and the benchmark."""
