"""Report renderers: JSON, terminal and self-contained HTML views of a comparison."""
