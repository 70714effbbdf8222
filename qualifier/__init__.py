"""Lead qualification: extraction, scoring, the lead model and its store.

Plain Python with no Rasa imports, so it can be tested and reused alone.
"""
