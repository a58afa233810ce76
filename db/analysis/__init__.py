"""Across reports: claim families, where each claim came from, who independently corroborates it.

``propositions`` turns a claim into comparable tokens and lookup keys; ``families`` groups claims
stating the same proposition (incrementally, as reports arrive); ``relays`` finds which reports
repeat which sources; ``origins`` traces a family to its originators; ``corroboration`` counts
independent support and contradiction and suggests a credibility; ``suggestions`` offers links the
analyst confirms or rejects; ``timeline`` and ``brief`` present it all.
"""
