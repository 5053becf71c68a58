"""View-models: what a page shows, built from the selectors' scoped reads."""
