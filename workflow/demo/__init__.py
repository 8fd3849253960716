"""The demo: the Việt Hưng plan with a year of replayed history and demo accounts."""
