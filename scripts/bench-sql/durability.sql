-- npm run bench:sql: the server's durability settings and version, printed with the figures
-- (a disposable cluster with fsync off reads and writes faster than a durable one).
select
    current_setting('fsync') as fsync,
    current_setting('synchronous_commit') as synchronous_commit,
    current_setting('server_version') as server_version,
    current_setting('shared_buffers') as shared_buffers,
    current_setting('work_mem') as work_mem
