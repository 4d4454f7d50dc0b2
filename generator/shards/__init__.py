"""Shards: the record pages of a site built in parts, each part alone, reused when unchanged.

The unit is department × budget year (`jyt-2026`), the folder `content/<dept>/<year>/` that one
department's editors change: an edit rebuilds one shard, a department's year is a few hundred
records at most (bounded memory and time per shard), and the shard ids are known from the content
alone, before anything is built. (A per-shard search bundle would want the year of first publication
instead, so that merged bundles keep date order; the site keeps one Pagefind index over the merged
result, so that constraint does not apply here.)

A shard holds what depends on its records: their pages, their attachments with text pages and
their per-record downloads, plus `shard.json` (manifest: the inputs hash, every file's size and
SHA-256, each record's attachment text pages for the sitemap). Everything that spans shards (home,
columns, departments, compliance, feed, sitemap, datapackage, bulk downloads, search index) is made
when shards are merged, from the same model every build reads, and the leak guard scans the whole
merged site against the full current set of secrets before the all-or-nothing swap.

    plan.py      shard ids and the hash of everything that goes into a shard
    shell.py     the record-page shell (MkDocs with Material, built once from stub pages)
    manifest.py  shard.json: written, read and checked (missing, stale or tampered shards)
    store.py     build one shard into a folder; reuse it from .disclose-cache/ when unchanged
    merge.py     check a set of shards against the current content and copy them into a site
"""
