"""Extraction from one parsed article: each kind of record has its own module.

Only `entities` has landed; claims, places and events are produced as empty lists until
their extractors do, so that the output contract already carries every key.
"""
