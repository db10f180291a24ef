"""One module per dashboard, each defining `dashboard`; its file name is its uid."""
