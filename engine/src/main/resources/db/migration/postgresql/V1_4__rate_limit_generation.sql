-- Counts every change of a model's schedule (a reservation or a hold), so that a node hands its
-- unused slots back only while nothing has changed the schedule since it reserved them: a hold
-- that ends within those slots leaves the TAT where it was, and a refund must not erase it.
ALTER TABLE rate_limits ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;
