-- The ownership graph: one edge per (owner, owned company) holding, widest bounds of duplicates,
-- control kinds merged. Owner and owned ids are node ids (see pipelines/registry/model.py).
SELECT
    owner_id,
    owned_id,
    max(share_low) AS share_low,
    max(share_high) AS share_high,
    list_sort(list_distinct(flatten(list(control)))) AS control
FROM edges
GROUP BY owner_id, owned_id
ORDER BY owner_id, owned_id
