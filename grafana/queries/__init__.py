"""The SQL of every panel, one module per dashboard, apart from the layout that shows it."""
