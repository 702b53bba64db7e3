SELECT pg_relation_size(to_regclass(quote_ident($1::text)))::float8 AS bytes
