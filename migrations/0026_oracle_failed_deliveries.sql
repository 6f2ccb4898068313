-- Deliveries that gave up, newest first, for the admins' page (/oracle/failed).
CREATE INDEX oracle_deliveries_dead ON oracle_deliveries (id) WHERE state = 'dead';
