"""UPR Implementation Tracker: the data package (store, queries, ingest, classifier, charts).

Importable without Streamlit; the app's pages are thin views over it.
"""
