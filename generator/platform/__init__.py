"""`disclose platform`: the 预决算公开统一平台 of a region, built from its member sites' *published* output.

members  reads platform.yml (who the members are)
fetch    downloads one member's manifest, log, required pages and search bundle, and checks them
state    keeps the last good copy of each member and what the platform saw of its log last time
rollup   the numbers and reports of every page (compliance, 四个统一, latest disclosures)
render   writes the static pages; build runs all of it and swaps the output in whole
"""
