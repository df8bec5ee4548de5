"""ASGI middleware of the server (serve.py's `st.App`): what a first visit waited for in Streamlit
1.67's own server, fixed at its edge without touching a page. Imports no page and no Streamlit
element; `upr_data` does not import it."""
