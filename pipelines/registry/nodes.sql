-- Display names of every node: register companies first, then owners known only as PSCs or
-- BODS persons (the first name a node was published under).
SELECT company_id AS node_id, any_value(company_name ORDER BY source) AS name, 'company' AS node_kind
FROM companies
GROUP BY company_id
UNION ALL
SELECT person_id AS node_id, any_value(name ORDER BY source) AS name, any_value(entity_type ORDER BY source) AS node_kind
FROM persons
WHERE person_id NOT IN (SELECT company_id FROM companies)
GROUP BY person_id
