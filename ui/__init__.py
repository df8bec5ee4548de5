"""Streamlit-only helpers shared by the pages (the sidebar filters, headers, chart panels)."""
