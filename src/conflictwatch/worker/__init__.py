"""The stream worker: a Faust app whose agents only orchestrate.

articles.raw --[extract agent: validate, dedup, extract in batches]--> events.normalized (keyed by region)
events.normalized --[alert agent: rules over changelog-backed tables]--> alerts
"""
