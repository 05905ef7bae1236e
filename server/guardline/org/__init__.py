"""`guardline org`: the quality-by-origin dashboard across many repositories.

One task per repository (update a cached clone, run the per-repository report, keep its JSON), run on
Ray (`guardline[org]`); then a merge of the per-repository reports into one organisation report
(weighted means with their denominators, never an average of averages). `guardline org merge` runs the
merge alone, without Ray, on reports that each repository's own CI uploaded.

Modules: ``sources`` (what to analyse), ``clones`` (the cached clones), ``task`` (one repository),
``runner`` (Ray), ``merge`` (the organisation report), ``render`` (JSON, Markdown, HTML), ``cli``.
"""
