-- The reference engine's session: should the view stop (Ctrl-C) in the middle of a read, the
-- server notices the closed connection within a second and cancels the query, instead of
-- computing every window for nobody (Postgres 14+).
set client_connection_check_interval = '1s'
