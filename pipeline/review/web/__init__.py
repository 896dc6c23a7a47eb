"""The review app's Flask blueprints: pages, sign-in, listing, decisions, adjudication.

Each blueprint is thin: it reads the request, asks the pure decision rules
(`pipeline.review.rules`, `pipeline.review.adjudication`) what to store, stores it, and answers
JSON. Shared request state (who is signed in, what they may see) is in `context`.
"""
